/// A distribution strategy that samples in mirrored pairs (OpenAI-ES, PGPE, `MirroredSampling`):
/// its `populationSize` n, even, is the sampled count, and a generation in flight keeps its
/// n/2 perturbations.
public protocol MirroredStrategy: CenterPricedStrategy {
    /// Sampled individuals n, even (antithetic pairs).
    var populationSize: Int { get }
}

extension MirroredStrategy {
    public func samples(dimension: Int) -> Int { populationSize }

    /// The perturbations of the generation in flight (n/2 × D floats) and a few vectors of D (8 doubles per weight).
    public func stateParts(dimension: Int) -> [(String, Int?)] {
        drawnStateParts("perturbations", rows: populationSize / 2, dimension: dimension)
    }
}
