import Foundation

/// Small synthetic data sets whose structure is known, generated from a seed: for quick
/// experiments and for tests that must know what a good model can reach.
///
/// Classification sets are balanced: sample i belongs to class i mod classCount. Noise is
/// Gaussian, N(0, noise²), added to each coordinate after the class is fixed.
public enum SyntheticData: Sendable, Equatable {
    /// Two interleaving half circles in 2-D, as scikit-learn's `make_moons`: class 0 at
    /// (cos t, sin t), class 1 at (1 − cos t, ½ − sin t), with t uniform on [0, π].
    case twoMoons(noise: Float = 0.1)
    /// Two interleaved spirals in 2-D (Lang & Witbrock, 1988): with t uniform on [0, 1),
    /// class 0 at t·(cos 2π·turns·t, sin 2π·turns·t) and class 1 at the same point turned by π.
    case twoSpirals(turns: Float = 2, noise: Float = 0)
    /// The XOR pattern: points uniform on [−1, 1]², class 1 when the two coordinates have
    /// different signs.
    case xor(noise: Float = 0)
    /// `classes` Gaussian clusters in `dimensions` dimensions, as scikit-learn's `make_blobs`:
    /// centres uniform in [−10, 10]^d, points centre + spread · N(0, I).
    case gaussianBlobs(classes: Int, dimensions: Int, spread: Float = 1)
    /// 1-D regression: x uniform on [−π, π], target sin x + noise · N(0, 1).
    case sine(noise: Float = 0.1)

    /// The data set's name in reports.
    public var name: String {
        switch self {
        case .twoMoons: "two-moons"
        case .twoSpirals: "two-spirals"
        case .xor: "xor"
        case .gaussianBlobs(let classes, let dimensions, _): "blobs-\(classes)x\(dimensions)"
        case .sine: "sine"
        }
    }

    /// The number of classes; nil for the regression set.
    public var classCount: Int? {
        switch self {
        case .twoMoons, .twoSpirals, .xor: 2
        case .gaussianBlobs(let classes, _, _): classes
        case .sine: nil
        }
    }

    /// Features per sample.
    public var featureCount: Int {
        switch self {
        case .twoMoons, .twoSpirals, .xor: 2
        case .gaussianBlobs(_, let dimensions, _): dimensions
        case .sine: 1
        }
    }

    func validateParameters() throws {
        switch self {
        case .twoMoons(let noise), .xor(let noise), .sine(let noise):
            try WeightLabCore.validate("noise", noise, in: 0...Float.greatestFiniteMagnitude)
        case .twoSpirals(let turns, let noise):
            try validatePositive("turns", turns)
            try WeightLabCore.validate("noise", noise, in: 0...Float.greatestFiniteMagnitude)
        case .gaussianBlobs(let classes, let dimensions, let spread):
            try validateCount("classes", classes, atLeast: 2)
            try validateCount("dimensions", dimensions, atLeast: 1)
            try WeightLabCore.validate("spread", spread, in: 0...Float.greatestFiniteMagnitude)
        }
    }

    /// Blob centres (row-major classes × dimensions), drawn once per data set so that its
    /// training and test samples share them; empty for the other sets.
    func centres(rng: inout RandomStream) -> [Float] {
        guard case .gaussianBlobs(let classes, let dimensions, _) = self else { return [] }
        return (0..<classes * dimensions).map { _ in rng.uniform(-10, 10) }
    }

    /// `count` samples drawn from `rng`.
    func samples(count: Int, centres: [Float], rng: inout RandomStream) -> Samples {
        let d = featureCount
        var features = [Float](repeating: 0, count: count * d)
        if case .sine(let noise) = self {
            var targets = [Float](repeating: 0, count: count)
            for i in 0..<count {
                features[i] = rng.uniform(-Float.pi, Float.pi)
                targets[i] = Foundation.sin(features[i]) + noise * rng.normal()
            }
            return Samples(features: features, featureCount: 1, targets: targets, targetWidth: 1)
        }
        let classes = classCount ?? 1
        var labels = [Int32](repeating: 0, count: count)
        for i in 0..<count {
            let label = i % classes
            labels[i] = Int32(label)
            let point = point(of: label, centres: centres, rng: &rng)
            for j in 0..<d { features[i * d + j] = point[j] }
        }
        return Samples(features: features, featureCount: d, labels: labels)
    }

    /// One noisy point of class `label`.
    private func point(of label: Int, centres: [Float], rng: inout RandomStream) -> [Float] {
        switch self {
        case .twoMoons(let noise):
            let t = rng.uniform(0, Float.pi)
            let clean = label == 0 ? [Foundation.cos(t), Foundation.sin(t)] : [1 - Foundation.cos(t), 0.5 - Foundation.sin(t)]
            return clean.map { $0 + noise * rng.normal() }
        case .twoSpirals(let turns, let noise):
            let t = rng.uniform()
            let angle = 2 * Float.pi * turns * t + (label == 0 ? 0 : Float.pi)
            return [t * Foundation.cos(angle), t * Foundation.sin(angle)].map { $0 + noise * rng.normal() }
        case .xor(let noise):
            var x = rng.uniform(-1, 1)
            var y = rng.uniform(-1, 1)
            if (x < 0) != (y < 0) ? label == 0 : label == 1 { y = -y }
            x += noise * rng.normal()
            y += noise * rng.normal()
            return [x, y]
        case .gaussianBlobs(_, let dimensions, let spread):
            return (0..<dimensions).map { centres[label * dimensions + $0] + spread * rng.normal() }
        case .sine:
            return []
        }
    }
}

extension Dataset {
    /// A synthetic data set of `trainCount` training and `testCount` test samples, drawn from
    /// independent child streams of `rng` (the blob centres from a third, shared by both).
    public static func synthetic(
        _ kind: SyntheticData, trainCount: Int = 800, testCount: Int = 200, rng: RandomStream = RandomStream(seed: 0)
    ) throws -> Dataset {
        try kind.validateParameters()
        try validateCount("trainCount", trainCount, atLeast: 1)
        try validateCount("testCount", testCount, atLeast: 0)
        var centreStream = rng.split(0)
        var trainStream = rng.split(1)
        var testStream = rng.split(2)
        let centres = kind.centres(rng: &centreStream)
        return try Dataset(
            name: kind.name,
            train: kind.samples(count: trainCount, centres: centres, rng: &trainStream),
            test: kind.samples(count: testCount, centres: centres, rng: &testStream),
            classCount: kind.classCount, featureShape: [kind.featureCount])
    }
}
