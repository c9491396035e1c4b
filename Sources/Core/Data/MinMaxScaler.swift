/// Min-max scaling: each feature mapped linearly so that its training range becomes [0, 1],
/// x′ⱼ = (xⱼ − minⱼ) / (maxⱼ − minⱼ).
///
/// Values of held-out samples outside the training range map outside [0, 1]; they are not
/// clipped. A constant feature (maxⱼ = minⱼ) is only shifted to 0. These are the conventions
/// of scikit-learn's `MinMaxScaler` with its default `feature_range=(0, 1)`.
public struct MinMaxScaler: FeatureScaler {
    /// minⱼ over the training samples.
    public let minimum: [Float]
    /// maxⱼ over the training samples.
    public let maximum: [Float]

    public init(fittingOn training: Samples) throws {
        try FeatureStatistics.validate(training, fitting: "a min-max scaler")
        var low = [Float](repeating: .infinity, count: training.featureCount)
        var high = [Float](repeating: -.infinity, count: training.featureCount)
        FeatureStatistics.forEachValue(training) { j, x in
            low[j] = min(low[j], x)
            high[j] = max(high[j], x)
        }
        minimum = low
        maximum = high
    }

    public var offsets: [Float] { minimum }
    public var factors: [Float] { zip(minimum, maximum).map { $1 > $0 ? 1 / ($1 - $0) : 1 } }
}
