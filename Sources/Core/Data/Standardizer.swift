/// Standardization: each feature shifted to mean 0 and scaled to standard deviation 1 over the
/// training samples, x′ⱼ = (xⱼ − μⱼ) / σⱼ.
///
/// μⱼ is the mean and σⱼ the population standard deviation (divisor n, not n − 1) of feature j
/// over the training samples, computed in double precision in two passes. A constant feature
/// (σⱼ = 0) is only centred. These are the conventions of scikit-learn's `StandardScaler`.
public struct Standardizer: FeatureScaler {
    /// μⱼ: the training mean of each feature.
    public let mean: [Float]
    /// σⱼ: the training population standard deviation of each feature.
    public let standardDeviation: [Float]

    public init(fittingOn training: Samples) throws {
        try FeatureStatistics.validate(training, fitting: "a standardizer")
        let d = training.featureCount
        let n = Double(training.count)
        var sums = [Double](repeating: 0, count: d)
        FeatureStatistics.forEachValue(training) { j, x in sums[j] += Double(x) }
        let means = sums.map { $0 / n }
        var squares = [Double](repeating: 0, count: d)
        FeatureStatistics.forEachValue(training) { j, x in
            let deviation = Double(x) - means[j]
            squares[j] += deviation * deviation
        }
        mean = means.map { Float($0) }
        standardDeviation = squares.map { Float(($0 / n).squareRoot()) }
    }

    public var offsets: [Float] { mean }
    public var factors: [Float] { standardDeviation.map { $0 > 0 ? 1 / $0 : 1 } }
}
