import Testing
@testable import WeightLabCore

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
        var rng = RandomStream(seed: 7)
        let rows = (0..<11).map { _ in network.initialWeights(.heNormal, rng: &rng) }
        let population = try PopulationMatrix(rows: rows)

        var losses = [Float]()
        try objective.losses(of: population, on: batch, into: &losses)
        #expect(objective.ledger.units == 11 * 300)
        for i in 0..<11 {
            let alone = try objective.loss(at: rows[i], on: batch)
            #expect(abs(losses[i] - alone) <= 1e-5 * abs(alone), "individual \(i): \(losses[i]) against \(alone)")
        }
    }

    @Test func chargesTheLedgerAsSingleEvaluations() throws {
        let network = try network()
        let objective = NetworkObjective(network: network)
        let batch = randomClassification(count: 40, features: 144, classes: 5, seed: 3)
        var rng = RandomStream(seed: 1)
        let population = try PopulationMatrix(rows: (0..<6).map { _ in network.initialWeights(.heNormal, rng: &rng) })
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
        var rng = RandomStream(seed: 9)
        let population = try PopulationMatrix(rows: (0..<70).map { _ in network.initialWeights(.heNormal, rng: &rng) })
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
