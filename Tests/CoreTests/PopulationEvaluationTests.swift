import Testing
@testable import WeightLabCore
import WeightLabTestSupport

@Suite struct PopulationEvaluationTests {
    /// The batched, parallel path sums the same products on one BLAS thread per individual, so it
    /// can differ from a single evaluation (which may use several BLAS threads) in the last bits:
    /// compared to 1e-5 relative.
    @Test func equalsEvaluatingEachIndividualAlone() throws {
        let network = try Network.perceptron(inputs: 20, hidden: [16, 8], outputs: 4, activation: .relu)
        let objective = NetworkObjective(network: network, regularizer: try Regularizer(l2: 0.01))
        let batch = randomClassification(count: 300, features: 20, classes: 4, seed: 2)
        let population = try heNormalPopulation(of: network, count: 9, seed: 7)

        var losses = [Float]()
        try objective.losses(of: population, on: batch, into: &losses)
        let batchedCost = objective.ledger.units
        let alone = try (0..<9).map { try objective.loss(at: population.row($0), on: batch) }

        #expect(losses.count == 9)
        for i in 0..<9 { #expect(abs(losses[i] - alone[i]) <= 1e-5 * abs(alone[i]), "individual \(i)") }
        #expect(batchedCost == 9 * 300)
        #expect(objective.ledger.units == 2 * 9 * 300, "charged the same as one evaluation per individual")
    }

    @Test func sameResultWithOneOrTwoThreads() throws {
        let network = try Network.perceptron(inputs: 10, hidden: [12], outputs: 3)
        let objective = NetworkObjective(network: network)
        let batch = randomClassification(count: 100, features: 10, classes: 3, seed: 4)
        let population = try heNormalPopulation(of: network, count: 7, seed: 9)
        var one = [Float]()
        var two = [Float]()
        try Parallelism.withThreadCount(1) { try objective.losses(of: population, on: batch, into: &one) }
        try Parallelism.withThreadCount(2) { try objective.losses(of: population, on: batch, into: &two) }
        #expect(one == two)
    }

    @Test func rejectsAPopulationOfTheWrongWidth() throws {
        let objective = NetworkObjective(network: try Network.perceptron(inputs: 2, hidden: [3], outputs: 2))
        var losses = [Float]()
        let batch = randomClassification(count: 4, features: 2, classes: 2, seed: 1)
        #expect(throws: WeightLabError.self) {
            try objective.losses(of: PopulationMatrix(count: 3, dimension: 5), on: batch, into: &losses)
        }
    }
}

@Suite struct DeterminismTests {
    @Test func sameSeedSameBytes() throws {
        func run() throws -> [Float] {
            let network = try Network.perceptron(inputs: 6, hidden: [10], outputs: 3, dropout: 0.3)
            let objective = NetworkObjective(network: network)
            var rng = RandomStream(seed: 2024)
            var weights = network.initialWeights(.heUniform, rng: &rng)
            let batch = randomClassification(count: 32, features: 6, classes: 3, seed: 5)
            var gradient = [Float]()
            for _ in 0..<5 {
                _ = try objective.lossAndGradient(at: weights, on: batch, into: &gradient, rng: &rng)
                for i in weights.indices { weights[i] -= 0.1 * gradient[i] }
            }
            return weights
        }
        let a = try run()
        let b = try run()
        #expect(a.withUnsafeBytes { Array($0) } == b.withUnsafeBytes { Array($0) })
    }

    @Test func splitStreamsDependOnlyOnParentAndIndex() {
        let parent = RandomStream(seed: 11)
        var a = parent.split(3)
        var b = parent.split(3)
        var c = parent.split(4)
        let x = (0..<4).map { _ in a.next() }
        #expect(x == (0..<4).map { _ in b.next() })
        #expect(x != (0..<4).map { _ in c.next() })
    }

    @Test func drawsHaveTheRightMoments() {
        var rng = RandomStream(seed: 5)
        let n = 200_000
        var sum = 0.0, squares = 0.0, uniforms = 0.0
        for _ in 0..<n {
            let z = Double(rng.normal())
            sum += z
            squares += z * z
            uniforms += Double(rng.uniform())
        }
        #expect(abs(sum / Double(n)) < 0.01)
        #expect(abs(squares / Double(n) - 1) < 0.01)
        #expect(abs(uniforms / Double(n) - 0.5) < 0.005)
        var below = 0
        for _ in 0..<n where abs(rng.cauchy()) < 1 { below += 1 }
        #expect(abs(Double(below) / Double(n) - 0.5) < 0.01, "P(|Cauchy| < 1) = 1/2")
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[rng.index(below: 7)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
    }
}
