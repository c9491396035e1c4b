import Foundation
import WeightLabCore
import WeightLabEvolutionary
import WeightLabGradient
import WeightLabTestSupport
@testable import WeightLabHybrid

/// Two moons (scikit-learn's `make_moons`, noise 0.1): 200 training and 200 test points, a
/// 2-16-2 tanh perceptron with Xavier initialization, mini-batches of 20 (60 ledger units per
/// gradient step), generations priced on the whole training set (200 units per individual).
struct Moons {
    static let trainCount = 200
    static let batchSize = 20
    let data: Dataset
    let network: Network
    let problem: Problem

    init(fitness: Problem.FitnessSamples = .all) throws {
        data = try Dataset.synthetic(.twoMoons(noise: 0.1), trainCount: Self.trainCount, testCount: 200, rng: RandomStream(seed: 11))
        let network = try Network.perceptron(inputs: 2, hidden: [16], outputs: 2, activation: .tanh)
        self.network = network
        problem = try Problem(
            objective: NetworkObjective(network: network), training: data.train, batchSize: Self.batchSize,
            fitnessSamples: fitness, rng: RandomStream(seed: 12)
        ) { rng in network.initialWeights(.xavierUniform, rng: &rng) }
    }

    /// The fraction of the test points `weights` classify correctly.
    func testAccuracy(_ weights: [Float]) throws -> Float {
        try (problem.objective as? NetworkObjective)?.evaluate(weights, on: data.test).accuracy ?? 0
    }

    /// The loss of `weights` on the whole training set, priced the way generations are (as a
    /// population of one), without charging the ledger.
    func trainingLoss(_ weights: [Float]) throws -> Float {
        let units = problem.ledger.units
        defer { problem.ledger.restore(units) }
        var losses: [Float] = []
        try problem.objective.losses(of: PopulationMatrix(rows: [weights]), on: data.train, into: &losses)
        return losses[0]
    }
}

/// A registry with every family.
let registry: OptimizerRegistry = {
    var registry = OptimizerRegistry()
    GradientFamily.register(in: &registry)
    EvolutionaryFamily.register(in: &registry)
    HybridFamily.register(in: &registry)
    return registry
}()

/// The optimizer an inline JSON specification names, built by the full registry.
func optimizer(_ json: String) throws -> AnyWeightOptimizer {
    AnyWeightOptimizer(try registry.make(OptimizerSpec(parsing: json, path: "optimizer")))
}

/// A run of `optimizer` on `moons` that records every step, stopping at `budget` ledger units
/// or `steps` steps, seeded with `seed`.
func run(
    _ optimizer: AnyWeightOptimizer, on moons: Moons, budget: Int? = nil, steps: Int? = nil, seed: UInt64 = 1,
    checkpoint: CheckpointPolicy? = nil
) throws -> RunResult {
    var rules: [StoppingRule] = []
    if let budget { rules.append(.costUnits(budget)) }
    if let steps { rules.append(.steps(steps)) }
    let configuration = RunConfiguration(stopping: rules, recording: .everyStep, test: moons.data.test, checkpoint: checkpoint, seed: seed)
    return try Trainer(optimizer, on: moons.problem, configuration: configuration).run()
}

/// A state's JSON, keys sorted: equal for equal states.
func json(_ value: some Encodable) throws -> String {
    String(decoding: try JSONCoding.encoder().encode(value), as: UTF8.self)
}

