/// A point of weight space and its loss: the whole state of a single-point search such as
/// (1+1) random search or hill climbing, and the incumbent (best point so far) that population
/// methods and combiners keep beside their own state.
public struct PricedPoint: Codable, Sendable, Equatable {
    /// The weights, packed in checkpoints (`PackedFloats`).
    @PackedFloats public var weights: [Float]
    /// Their loss; +∞ while not priced yet.
    public var loss: Float

    public init(weights: [Float], loss: Float) {
        self.weights = weights
        self.loss = loss
    }

    /// `weights` priced by the problem's objective on its full batch (charged to the ledger
    /// like every evaluation).
    public init(_ weights: [Float], on problem: Problem) throws {
        self.init(weights: weights, loss: try problem.objective.loss(at: weights, on: problem.fullBatch))
    }
}

extension WeightOptimizer where State == PricedPoint {
    /// A single-point search hands over its point.
    public func incumbent(_ state: PricedPoint) -> [Float] { state.weights }
}
