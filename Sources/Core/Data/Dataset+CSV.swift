import Foundation

extension Dataset {
    /// A data set from CSV files read by `reader`: the rows of `train`, and those of `test`
    /// when given; without a test file, a stratified `testFraction` of `train`'s rows is held
    /// out (see `Samples.stratifiedSplit`), drawn from `rng`.
    ///
    /// The class count is the reader's when it states one, else the largest label in either
    /// file + 1. The feature shape is [feature columns].
    public static func csv(
        train: String, test: String? = nil, reader: CSVReader = .standard, testFraction: Double = 0.2,
        validationFraction: Double = 0, rng: RandomStream = RandomStream(seed: 0)
    ) throws -> Dataset {
        let trainSamples = try reader.read(train)
        let testSamples = try test.map { try reader.read($0) }
        if let test, let testSamples, testSamples.featureCount != trainSamples.featureCount {
            throw WeightLabError(
                .shape, "\(test) has \(testSamples.featureCount) feature columns but \(train) has \(trainSamples.featureCount)")
        }
        var classCount: Int?
        if case .classes(let stated) = reader.targets {
            let largest = (trainSamples.labels + (testSamples?.labels ?? [])).max() ?? 0
            classCount = stated ?? Int(largest) + 1
        }
        let name = ((train as NSString).lastPathComponent as NSString).deletingPathExtension
        let shape = [trainSamples.featureCount]
        guard let testSamples else {
            return try Dataset(
                name: name, splitting: trainSamples, classCount: classCount, featureShape: shape,
                validationFraction: validationFraction, testFraction: testFraction, rng: rng)
        }
        let data = try Dataset(name: name, train: trainSamples, test: testSamples, classCount: classCount, featureShape: shape)
        return validationFraction != 0 ? try data.holdingOutValidation(fraction: validationFraction, rng: rng) : data
    }
}
