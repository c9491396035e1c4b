/// A per-feature affine map, x′ⱼ = (xⱼ − offsetⱼ) · factorⱼ, fitted on training samples only and
/// then applied unchanged to validation and test samples, so that no statistic of held-out
/// data leaks into training.
public protocol FeatureScaler: Codable, Sendable, Equatable {
    /// The map fitted on the features of `training`.
    init(fittingOn training: Samples) throws
    /// What is subtracted from each feature.
    var offsets: [Float] { get }
    /// What each centred feature is multiplied by.
    var factors: [Float] { get }
}

extension FeatureScaler {
    /// Scales the features of `samples` in place; samples without features (an empty split)
    /// are left as they are.
    public func apply(to samples: inout Samples) throws {
        guard !samples.features.isEmpty else { return }
        let offsets = self.offsets
        let factors = self.factors
        guard samples.featureCount == offsets.count else {
            throw WeightLabError.shape("features per sample to scale", expected: offsets.count, actual: samples.featureCount)
        }
        let d = offsets.count
        samples.features.withUnsafeMutableBufferPointer { x in
            offsets.withUnsafeBufferPointer { o in
                factors.withUnsafeBufferPointer { f in
                    var start = 0
                    while start < x.count {
                        for j in 0..<d { x[start + j] = (x[start + j] - o[j]) * f[j] }
                        start += d
                    }
                }
            }
        }
    }

    /// `samples` with scaled features.
    public func applied(to samples: Samples) throws -> Samples {
        var result = samples
        try apply(to: &result)
        return result
    }
}

extension Dataset {
    /// This data set with a `Scaler` fitted on the training split and applied to every split,
    /// and the fitted scaler (to scale new inputs the same way).
    public func scaled<Scaler: FeatureScaler>(by _: Scaler.Type) throws -> (dataset: Dataset, scaler: Scaler) {
        let scaler = try Scaler(fittingOn: train)
        var result = self
        try scaler.apply(to: &result.train)
        try scaler.apply(to: &result.validation)
        try scaler.apply(to: &result.test)
        return (result, scaler)
    }
}

/// Per-feature statistics of row-major features, accumulated in double precision.
enum FeatureStatistics {
    /// Checks that `samples` can be fitted on: at least one sample, every feature finite.
    static func validate(_ samples: Samples, fitting scaler: String) throws {
        guard samples.count > 0, samples.featureCount > 0 else {
            throw WeightLabError(.data, "\(scaler) cannot be fitted on an empty training set")
        }
        if let bad = samples.features.firstIndex(where: { !$0.isFinite }) {
            throw WeightLabError(
                .numerical,
                "\(scaler) cannot be fitted: training sample \(bad / samples.featureCount), feature \(bad % samples.featureCount) is \(samples.features[bad])")
        }
    }

    /// Calls `body(j, x)` for every feature value, row by row.
    static func forEachValue(_ samples: Samples, _ body: (Int, Float) -> Void) {
        let d = samples.featureCount
        samples.features.withUnsafeBufferPointer { x in
            var start = 0
            while start < x.count {
                for j in 0..<d { body(j, x[start + j]) }
                start += d
            }
        }
    }
}
