import Testing
@testable import WeightLabCore
import WeightLabTestSupport

@Suite(.serialized) struct ConvolutionPopulationTests {
    /// EvoJAX's ConvNet E, narrowed, on 12×12 images: a thin first convolution, so individuals
    /// are grouped into one wide product over the shared patch matrix.
    func network(firstFilters: Int = 4) throws -> Network {
        try Network(inputWidth: 144, layers: [
            .convolution(Convolution(filters: firstFilters, kernel: 5, padding: .same)), .activation(.relu), .pooling(Pooling(.max, window: 2)),
            .convolution(Convolution(filters: 6, kernel: 3, padding: .same)), .activation(.prelu(initialSlope: 0.2)), .pooling(Pooling(.max, window: 2)),
            .dense(units: 5),
        ], imageShape: ImageShape(height: 12, width: 12, channels: 1))
    }

    /// Single evaluations run in lanes (a batch of 300 in four) whose sums follow another order
    /// than the population's chunks, so the two agree to 1e-5 relative, not in every bit.
    @Test(arguments: [4, 300])
    func equalsEvaluatingEachIndividualAlone(firstFilters: Int) throws {
        let network = try network(firstFilters: firstFilters)
        let objective = NetworkObjective(network: network, regularizer: try Regularizer(l2: 0.01), chunkSize: 128)
        let batch = randomClassification(count: 300, features: 144, classes: 5, seed: 2)
        let population = try heNormalPopulation(of: network, count: 11, seed: 7)

        var losses = [Float]()
        try objective.losses(of: population, on: batch, into: &losses)
        #expect(objective.ledger.units == 11 * 300)
        for i in 0..<11 {
            let alone = try objective.loss(at: population.row(i), on: batch)
            #expect(abs(losses[i] - alone) <= 1e-5 * abs(alone), "individual \(i): \(losses[i]) against \(alone)")
        }
    }

    @Test func chargesTheLedgerAsSingleEvaluations() throws {
        let network = try network()
        let objective = NetworkObjective(network: network)
        let batch = randomClassification(count: 40, features: 144, classes: 5, seed: 3)
        let population = try heNormalPopulation(of: network, count: 6, seed: 1)
        var losses = [Float]()
        try objective.losses(of: population, on: batch, into: &losses)
        let batched = objective.ledger.units
        for i in 0..<6 { _ = try objective.loss(at: population.row(i), on: batch) }
        #expect(batched == 6 * 40 && objective.ledger.units == 2 * batched)
    }

    @Test func sameResultWithOneOrTwoThreads() throws {
        let network = try network()
        let objective = NetworkObjective(network: network, chunkSize: 64)
        let batch = randomClassification(count: 150, features: 144, classes: 5, seed: 4)
        let population = try heNormalPopulation(of: network, count: 70, seed: 9)
        let saved = Parallelism.threadCount
        defer { Parallelism.setThreadCount(saved) }
        var one = [Float]()
        var two = [Float]()
        Parallelism.setThreadCount(1)
        try objective.losses(of: population, on: batch, into: &one)
        Parallelism.setThreadCount(2)
        try objective.losses(of: population, on: batch, into: &two)
        #expect(one == two)
    }
}

/// Lanes for convolutional networks: the same gradient bits whatever the thread count, and
/// lanes equal to one pass over the batch. The products are kept small (under OpenBLAS's
/// threading threshold): OpenBLAS's thread count is global, and a suite running beside this one
/// may raise it (a batch-norm training pass does), which would let a larger product of these
/// lanes run on two threads, with other rounding.
@Suite(.serialized) struct ConvolutionLaneTests {
    @Test(arguments: [Float(0), Float(0.3)])
    func sameBitsWithOneAndTwoThreads(dropout: Float) throws {
        let network = try LayerGrammar(parsing: "conv(4, 3, padding: same), relu, maxpool(2), conv(6, 2, stride: 2, padding: same), prelu, dropout(\(dropout)), dense(8), relu")
            .network(inputWidth: 36, imageShape: ImageShape(height: 6, width: 6, channels: 1), outputs: 3)
        let objective = NetworkObjective(network: network, regularizer: try Regularizer(l2: 0.01))
        var rng = RandomStream(seed: 4)
        let weights = network.initialWeights(.heNormal, rng: &rng)
        let batch = randomClassification(count: 300, features: 36, classes: 3, seed: 6)
        #expect(objective.laneCount(rows: 300) == 4)
        func run(_ threads: Int) throws -> (Float, [Float]) {
            let previous = Parallelism.threadCount
            Parallelism.setThreadCount(threads)
            defer { Parallelism.setThreadCount(previous) }
            var stream = RandomStream(seed: 5)
            return try objective.lossAndGradient(at: weights, on: batch, rng: &stream)
        }
        let one = try run(1)
        let two = try run(2)
        #expect(one.0 == two.0 && one.1 == two.1)
        #expect(one.1.contains { $0 != 0 })
        if dropout == 0 {
            // One forward and backward pass over all 300 rows sums in another order: equal to 1e-5.
            let ws = Workspace(network: network, capacity: 300)
            var gradient = [Float](repeating: 0, count: network.parameterCount)
            var unused = RandomStream(seed: 0)
            let loss = weights.withUnsafeBufferPointer { w in
                batch.features.withUnsafeBufferPointer { x in
                    gradient.withUnsafeMutableBufferPointer { g in
                        let logits = network.forward(weights: w.baseAddress!, input: x.baseAddress!, rows: 300, workspace: ws, mode: .training, statistics: nil, rng: &unused)
                        let part = objective.lossFunction.evaluate(logits: logits, rows: 300, width: 3, samples: batch, offset: 0, gradient: ws.gradientA, scale: 1 / 300)
                        network.backward(weights: w.baseAddress!, input: x.baseAddress!, rows: 300, workspace: ws, outputGradient: ws.gradientA, gradient: g.baseAddress!)
                        return part.lossSum / 300 + objective.penalty(w, gradient: g.baseAddress!)
                    }
                }
            }
            #expect(abs(Float(loss) - one.0) <= 1e-5 * one.0)
            let scale = gradient.map(abs).max() ?? 1
            #expect(zip(gradient, one.1).allSatisfy { abs($0 - $1) <= 1e-5 * scale })
        }
    }
}
