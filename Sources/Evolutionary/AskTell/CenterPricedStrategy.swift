import WeightLabCore

/// A distribution strategy (CMA-ES, sep-CMA-ES, OpenAI-ES, PGPE, SNES) that draws
/// `samples(dimension:)` individuals a generation and, with `evaluateCenter`, prices its center
/// as one more row, the last, so the incumbent can be the mean rather than a lucky sample.
public protocol CenterPricedStrategy: AskTellStrategy {
    /// Whether the center is priced each generation.
    var evaluateCenter: Bool { get }
    /// The sampled individuals per generation for `dimension` weights (the center not counted).
    func samples(dimension: Int) -> Int
}

extension CenterPricedStrategy {
    public func populationSize(dimension: Int) -> Int { samples(dimension: dimension) + (evaluateCenter ? 1 : 0) }

    /// The last row, when the center is priced.
    public func centerRow(dimension: Int) -> Int? { evaluateCenter ? samples(dimension: dimension) : nil }

    /// The `stateParts` of a diagonal method: the generation's kept draws (`rows` × D floats,
    /// called `what`) and a few vectors of D (8 doubles per weight).
    func drawnStateParts(_ what: String, rows: Int, dimension: Int) -> [(String, Int?)] {
        [
            ("\(what) \(rows) × \(dimension) × 4 bytes", MemoryEstimate.bytes(rows, dimension, 4)),
            ("strategy state", MemoryEstimate.bytes(8, 8, dimension)),
        ]
    }
}
