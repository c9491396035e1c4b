import Testing
@testable import WeightLabCore

/// Data-parallel lanes (`NetworkObjective+Lanes.swift`): the lane rule, agreement with the mean
/// of per-sample gradients and losses, and the same bits whatever the thread count.
@Suite struct GradientLaneTests {
    /// A small network, its weights (biases off zero) and a classification batch of `count`.
    func setup(count: Int, dropout: Float = 0, regularizer: Regularizer = .none, chunkSize: Int = 2048) throws -> (NetworkObjective, [Float], Samples) {
        let network = try Network.perceptron(inputs: 5, hidden: [9, 6], outputs: 3, activation: .tanh, dropout: dropout)
        let objective = NetworkObjective(network: network, regularizer: regularizer, chunkSize: chunkSize)
        var rng = RandomStream(seed: 21)
        var weights = network.initialWeights(.xavierNormal, rng: &rng)
        for i in weights.indices where weights[i] == 0 { weights[i] = rng.uniform(-0.3, 0.3) }
        return (objective, weights, randomClassification(count: count, features: 5, classes: 3, seed: 22))
    }

    /// Runs `body` with `threads` workers of its own (see `Parallelism.withThreadCount`).
    func withThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        try Parallelism.withThreadCount(threads, body)
    }

    @Test func laneCountDependsOnTheBatchAlone() throws {
        let (objective, _, _) = try setup(count: 1)
        // One below 32 rows, else the largest power of two ≤ 8 leaving every lane at least 64
        // rows, and at least two.
        let expected = [1: 1, 31: 1, 32: 2, 63: 2, 127: 2, 128: 2, 201: 2, 255: 2, 256: 4, 511: 4, 512: 8, 1001: 8, 60_000: 8]
        for (rows, lanes) in expected {
            for threads in [1, 2] {
                #expect(withThreads(threads) { objective.laneCount(rows: rows) } == lanes, "\(rows) rows, \(threads) threads")
            }
        }
        let normalized = NetworkObjective(network: try Network.perceptron(inputs: 5, hidden: [9], outputs: 3, batchNorm: true))
        #expect(normalized.laneCount(rows: 60_000) == 1, "batch norm keeps one pass over its chunks")
    }

    /// Lanes (2 of 22 and 23 rows; 2 of 100 and 101; 8 of 125 or 126; 8 walking chunks of 2) against
    /// the mean of per-sample losses and gradients, each computed alone in Double.
    @Test(arguments: [(45, 2048), (201, 2048), (1001, 2048), (1001, 16)])
    func lanesEqualTheMeanOfPerSampleGradients(_ count: Int, _ chunkSize: Int) throws {
        let (objective, weights, batch) = try setup(count: count, chunkSize: chunkSize)
        var rng = RandomStream(seed: 1)
        let (loss, gradient) = try objective.lossAndGradient(at: weights, on: batch, rng: &rng)
        var meanLoss = 0.0
        var meanGradient = [Double](repeating: 0, count: weights.count)
        for i in 0..<count {
            let one = try objective.lossAndGradient(at: weights, on: batch.subset([i]), rng: &rng)
            meanLoss += Double(one.loss) / Double(count)
            for j in weights.indices { meanGradient[j] += Double(one.gradient[j]) / Double(count) }
        }
        #expect(abs(Double(loss) - meanLoss) <= 1e-5 * abs(meanLoss), "loss \(loss), per-sample mean \(meanLoss)")
        let scale = meanGradient.map(abs).max() ?? 0
        let worst = zip(gradient, meanGradient).map { abs(Double($0) - $1) }.max() ?? .nan
        #expect(worst <= 1e-5 * scale, "largest gradient difference \(worst) against a largest entry \(scale)")
    }

    /// The same loss, gradient and stream afterwards, bit for bit, with one thread and two; with
    /// dropout (each lane draws its own masks) and an L2 penalty too.
    @Test(arguments: [(Float(0.3), 45), (Float(0), 201), (Float(0.3), 256), (Float(0.3), 1001)])
    func sameBitsWithOneAndTwoThreads(_ dropout: Float, _ count: Int) throws {
        let (objective, weights, batch) = try setup(count: count, dropout: dropout, regularizer: try Regularizer(l2: 0.01))
        func run(_ threads: Int) throws -> (Float, [Float], RandomStream) {
            try withThreads(threads) {
                var rng = RandomStream(seed: 5)
                let (loss, gradient) = try objective.lossAndGradient(at: weights, on: batch, rng: &rng)
                return (loss, gradient, rng)
            }
        }
        let one = try run(1)
        let two = try run(2)
        #expect(one.0 == two.0)
        #expect(one.1 == two.1)
        #expect(one.2 == two.2)
        #expect(one.1.allSatisfy(\.isFinite) && one.1.contains { $0 != 0 })
    }

    /// A single lane (a batch under 32) also runs on one BLAS thread: with two, OpenBLAS picks
    /// other kernels for these shapes and the bits change.
    @Test func aSingleLaneHasTheSameBitsWithOneAndTwoThreads() throws {
        let network = try Network.perceptron(inputs: 784, hidden: [256, 128], outputs: 10)
        let objective = NetworkObjective(network: network)
        var rng = RandomStream(seed: 41)
        let weights = network.initialWeights(.heNormal, rng: &rng)
        let batch = randomClassification(count: 24, features: 784, classes: 10, seed: 42)
        #expect(objective.laneCount(rows: batch.count) == 1)
        let one = try withThreads(1) { try objective.lossAndGradient(at: weights, on: batch, rng: &rng) }
        let two = try withThreads(2) { try objective.lossAndGradient(at: weights, on: batch, rng: &rng) }
        #expect(one.loss == two.loss)
        // The first index that differs, not the arrays: a diff of 235,146 floats takes minutes.
        #expect(one.gradient.indices.first { one.gradient[$0] != two.gradient[$0] } == nil)
    }

    /// Monitoring (`evaluate`, `loss(at:on:)`) runs forward-only lanes too, batch norm included
    /// (inference reads the running statistics): the same bits with one thread and two, and the
    /// mean of per-sample losses and the count of per-sample hits.
    @Test(arguments: [false, true])
    func evaluationLanesEqualPerSampleResults(_ batchNorm: Bool) throws {
        let network = try Network.perceptron(inputs: 5, hidden: [9, 6], outputs: 3, activation: .tanh, batchNorm: batchNorm)
        let objective = NetworkObjective(network: network)
        var rng = RandomStream(seed: 31)
        let weights = network.initialWeights(.xavierNormal, rng: &rng)
        let samples = randomClassification(count: 1001, features: 5, classes: 3, seed: 32)
        #expect(NetworkObjective.lanes(forRows: samples.count) == 8)
        let one = try withThreads(1) { try objective.evaluate(weights, on: samples) }
        let two = try withThreads(2) { try objective.evaluate(weights, on: samples) }
        #expect(one == two)
        #expect(try withThreads(1) { try objective.loss(at: weights, on: samples) } == withThreads(2) { try objective.loss(at: weights, on: samples) })
        var meanLoss = 0.0
        var hits: Float = 0
        for i in 0..<samples.count {
            let single = try objective.evaluate(weights, on: samples.subset([i]))
            meanLoss += Double(single.loss) / Double(samples.count)
            hits += single.accuracy ?? .nan
        }
        #expect(abs(Double(two.loss) - meanLoss) <= 1e-5 * abs(meanLoss), "lanes \(two.loss), per-sample mean \(meanLoss)")
        #expect(two.accuracy == hits / Float(samples.count))
    }

    /// With dropout, lanes draw different masks from their own streams, and each lane's backward
    /// pass uses its own forward masks: a finite-difference check with frozen masks over a
    /// two-lane batch passes.
    @Test func dropoutLanesPassAFiniteDifferenceCheck() throws {
        let (objective, weights, batch) = try setup(count: 130, dropout: 0.4, regularizer: try Regularizer(l2: 0.05))
        #expect(objective.laneCount(rows: batch.count) == 2)
        #expect(try GradientCheck(objective: objective, batch: batch).relativeError(at: weights) < NetworkGradientTests.tolerance)
    }
}
