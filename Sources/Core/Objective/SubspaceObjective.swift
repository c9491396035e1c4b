import Synchronization

/// An objective seen through an `InputSubspace`: the loss at coordinates z is the base
/// objective's loss at w(z) = w₀ + B·z, its gradient Bᵀ·∇f(w(z)). Every evaluation is the
/// base objective's, charged to its ledger at its price, so a search in the subspace is
/// compared with one in the full space at equal cost.
public final class SubspaceObjective: Objective, @unchecked Sendable {
    /// The objective over the full weight vector.
    public let base: any Objective
    /// The map from coordinates to weights.
    public let subspace: InputSubspace

    public var dimension: Int { subspace.dimension }
    public var ledger: CostLedger { base.ledger }
    public var providesGradient: Bool { base.providesGradient }

    /// The full-space population of the last `losses(of:)` call and the last full gradient,
    /// kept so that steps in the steady state reuse them.
    private let scratch = Mutex<(population: PopulationMatrix, gradient: [Float])>(
        (PopulationMatrix(count: 0, dimension: 0), []))

    /// `base` seen through `subspace`, whose origin must have `base.dimension` weights.
    public init(_ base: any Objective, through subspace: InputSubspace) throws {
        guard subspace.origin.count == base.dimension else {
            throw WeightLabError.shape("subspace origin", expected: base.dimension, actual: subspace.origin.count)
        }
        self.base = base
        self.subspace = subspace
    }

    public func loss(at coordinates: [Float], on batch: Samples) throws -> Float {
        try checkDimension(coordinates, dimension)
        return try base.loss(at: subspace.weights(at: coordinates), on: batch)
    }

    public func lossAndGradient(at coordinates: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float {
        try checkDimension(coordinates, dimension)
        let weights = subspace.weights(at: coordinates)
        var full = scratch.withLock { state in
            var taken: [Float] = []
            swap(&taken, &state.gradient)
            return taken
        }
        defer { scratch.withLock { $0.gradient = full } }
        let loss = try base.lossAndGradient(at: weights, on: batch, into: &full, rng: &rng)
        if gradient.count != dimension { gradient = [Float](repeating: 0, count: dimension) }
        full.withUnsafeBufferPointer { g in
            gradient.withUnsafeMutableBufferPointer { subspace.pullBack(g.baseAddress!, into: $0.baseAddress!) }
        }
        return loss
    }

    /// Maps every row to the full space (rows in parallel, one BLAS thread each), then prices
    /// the whole population with the base objective's batched evaluation.
    public func losses(of population: PopulationMatrix, on batch: Samples, into losses: inout [Float]) throws {
        guard population.dimension == dimension else {
            throw WeightLabError.shape("population dimension", expected: dimension, actual: population.dimension)
        }
        var full = scratch.withLock { state in
            var taken = PopulationMatrix(count: 0, dimension: 0)
            swap(&taken, &state.population)
            return taken
        }
        defer { scratch.withLock { $0.population = full } }
        let d = base.dimension
        if full.count != population.count || full.dimension != d {
            full = PopulationMatrix(count: population.count, dimension: d)
        }
        let k = dimension
        population.values.withUnsafeBufferPointer { z in
            full.values.withUnsafeMutableBufferPointer { w in
                BLAS.withThreads(1) {
                    Parallelism.forEach(population.count) { _, i in
                        subspace.weights(at: z.baseAddress! + i * k, into: w.baseAddress! + i * d)
                    }
                }
            }
        }
        try base.losses(of: full, on: batch, into: &losses)
    }
}
