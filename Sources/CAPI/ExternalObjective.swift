import WeightLab

/// An objective priced by the caller of the C ABI: every evaluation the optimizer asks for is
/// handed to its `Session` as a population, and the call blocks until the caller tells the
/// fitness (and, for a gradient method, the gradient). Cost: 1 ledger unit per value, 2 more
/// per gradient, as for an analytic function.
final class ExternalObjective: Objective, @unchecked Sendable {
    let dimension: Int
    let ledger = CostLedger()
    var providesGradient: Bool { true }
    /// The session the populations go to (set once, before the first evaluation).
    weak var session: Session?

    init(dimension: Int) {
        self.dimension = dimension
    }

    func loss(at weights: [Float], on batch: Samples) throws -> Float {
        guard weights.count == dimension else { throw WeightLabError.shape("weights", expected: dimension, actual: weights.count) }
        var population = PopulationMatrix(count: 1, dimension: dimension)
        population.values = weights
        var losses: [Float] = []
        try self.losses(of: population, on: batch, into: &losses)
        return losses[0]
    }

    func lossAndGradient(at weights: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float {
        guard weights.count == dimension else { throw WeightLabError.shape("weights", expected: dimension, actual: weights.count) }
        guard let session else { throw WeightLabError(.unsupported, "the optimizer's session is gone") }
        let (loss, told) = try session.priceWithGradient(weights)
        gradient = told
        ledger.charge(3)
        return loss
    }

    func losses(of population: PopulationMatrix, on batch: Samples, into losses: inout [Float]) throws {
        guard population.dimension == dimension else {
            throw WeightLabError.shape("population dimension", expected: dimension, actual: population.dimension)
        }
        guard let session else { throw WeightLabError(.unsupported, "the optimizer's session is gone") }
        losses = try session.price(population)
        ledger.charge(population.count)
    }
}
