import Foundation

extension Dataset {
    /// The handwritten digits shipped with WeightLab: 1,797 grey 8×8 images of the digits 0–9,
    /// pixels scaled from 0...16 to [0, 1] (divided by 16), split stratified into training and
    /// test samples (`testFraction` of each class, drawn from `rng`).
    ///
    /// The data are the test part (optdigits.tes) of the UCI "Optical Recognition of Handwritten Digits" set
    /// (E. Alpaydin and C. Kaynak, 1998; CC BY 4.0), as scikit-learn ships it in
    /// `sklearn/datasets/data/digits.csv.gz`: 64 pixel columns then the label, no header.
    /// They need no download, so demos and tests always have real data.
    public static func digits(
        testFraction: Double = 0.2, validationFraction: Double = 0, rng: RandomStream = RandomStream(seed: 0)
    ) throws -> Dataset {
        guard let path = Bundle.module.path(forResource: "digits.csv", ofType: "gz") else {
            throw WeightLabError(.io, "the embedded digits resource (digits.csv.gz) is missing from the WeightLabCore bundle")
        }
        let reader = try CSVReader(labelColumn: .index(64), header: .absent, targets: .classes(count: 10))
        var samples = try reader.read(path)
        guard samples.featureCount == 64, let low = samples.features.min(), let high = samples.features.max(), low >= 0, high <= 16 else {
            throw WeightLabError(.data, "\(path): expected 64 pixel columns with values in 0...16")
        }
        for i in samples.features.indices { samples.features[i] /= 16 }
        return try Dataset(
            name: "digits", splitting: samples, classCount: 10, featureShape: [8, 8], classNames: (0...9).map(String.init),
            validationFraction: validationFraction, testFraction: testFraction, rng: rng)
    }
}
