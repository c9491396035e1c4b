import Synchronization

/// Something with a price: the loss of a flat weight vector on a batch of samples and, where
/// it can, the gradient. Every optimizer in WeightLab sees only this.
///
/// Minimization is the convention everywhere. Implementations charge their `ledger` for every
/// evaluation (see `CostLedger`) and throw `WeightLabError` on shapes that do not fit.
public protocol Objective: AnyObject, Sendable {
    /// The number of weights.
    var dimension: Int { get }
    /// Where this objective's evaluations are charged.
    var ledger: CostLedger { get }
    /// Whether `lossAndGradient` is available.
    var providesGradient: Bool { get }

    /// The loss at `weights` on `batch`, deterministic (inference mode: no dropout).
    func loss(at weights: [Float], on batch: Samples) throws -> Float

    /// The loss at `weights` on `batch` and its gradient, written into `gradient`
    /// (resized to `dimension` when needed). Training mode: dropout masks are drawn from `rng`.
    func lossAndGradient(at weights: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float

    /// The loss of every individual of `population` on the same `batch`, written into `losses`
    /// (resized to the population's count). Equivalent to calling `loss(at:on:)` per row,
    /// and charged the same; implementations evaluate individuals in parallel.
    func losses(of population: PopulationMatrix, on batch: Samples, into losses: inout [Float]) throws
}

extension Objective {
    /// Default population evaluation: one `loss(at:on:)` per individual, in parallel.
    public func losses(of population: PopulationMatrix, on batch: Samples, into losses: inout [Float]) throws {
        guard population.dimension == dimension else {
            throw WeightLabError.shape("population dimension", expected: dimension, actual: population.dimension)
        }
        if losses.count != population.count { losses = [Float](repeating: 0, count: population.count) }
        let results = UnsafeMutableBufferPointer<Float>.allocate(capacity: population.count)
        defer { results.deallocate() }
        let failure = Mutex<(any Error)?>(nil)
        Parallelism.forEach(population.count) { _, i in
            do {
                results[i] = try self.loss(at: population.row(i), on: batch)
            } catch {
                failure.withLock { $0 = error }
                results[i] = .infinity
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        for i in 0..<population.count { losses[i] = results[i] }
    }

    /// The loss and a freshly allocated gradient, for callers outside hot loops.
    public func lossAndGradient(at weights: [Float], on batch: Samples, rng: inout RandomStream) throws -> (loss: Float, gradient: [Float]) {
        var gradient = [Float](repeating: 0, count: dimension)
        let loss = try lossAndGradient(at: weights, on: batch, into: &gradient, rng: &rng)
        return (loss, gradient)
    }
}

/// Throws unless `weights` has `dimension` entries.
@inline(__always)
func checkDimension(_ weights: [Float], _ dimension: Int) throws {
    guard weights.count == dimension else {
        throw WeightLabError.shape("weight vector length", expected: dimension, actual: weights.count)
    }
}
