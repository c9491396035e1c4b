/// CMA-ES and sep-CMA-ES: a λ given or the default 4 + ⌊3 ln n⌋ (`CMAParameters.defaultLambda`).
public protocol CMAStrategy: CenterPricedStrategy {
    /// Samples λ (≥ 2); nil for 4 + ⌊3 ln n⌋.
    var populationSize: Int? { get }
}

extension CMAStrategy {
    /// λ for `dimension` weights.
    public func samples(dimension: Int) -> Int { populationSize ?? CMAParameters.defaultLambda(dimension: dimension) }
}
