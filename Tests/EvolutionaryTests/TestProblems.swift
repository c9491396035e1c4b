import Foundation
import WeightLabCore
@testable import WeightLabEvolutionary

/// Small problems and a driver shared by the tests. Data sets are generated here so the tests
/// depend on nothing but Core.
enum TestProblems {
    /// The four XOR points with labels 0/1.
    static func xor() -> Samples {
        Samples(features: [0, 0, 0, 1, 1, 0, 1, 1], featureCount: 2, labels: [0, 1, 1, 0])
    }

    /// Where every step-reference test starts: `strategy` started at `start` on the sphere
    /// (spread 1) from the stream of `seed`, a population of the strategy's size, and the stream
    /// as the start left it.
    static func startOnSphere<Strategy: AskTellStrategy>(
        _ strategy: Strategy, from start: [Float], seed: UInt64
    ) throws -> (state: Strategy.State, population: PopulationMatrix, rng: RandomStream) {
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: start.count), start: start, spread: 1)
        var rng = RandomStream(seed: seed)
        let state = try strategy.initialState(problem, from: start, rng: &rng)
        return (state, PopulationMatrix(count: strategy.populationSize(dimension: start.count), dimension: start.count), rng)
    }

    /// Two interleaving half circles (as scikit-learn's `make_moons`): `count` points, half on
    /// the upper moon (label 0) and half on the lower one (label 1), with N(0, noise²) jitter.
    static func twoMoons(count: Int, noise: Float, seed: UInt64) -> Samples {
        var rng = RunState(rng: RandomStream(seed: seed))
        var features: [Float] = []
        var labels: [Int32] = []
        for i in 0..<count {
            let upper = i % 2 == 0
            let t = Float.pi * rng.rng.uniform()
            let x: Float = upper ? cos(t) : 1 - cos(t)
            let y: Float = upper ? sin(t) : 0.5 - sin(t)
            features += [x + noise * rng.rng.normal(), y + noise * rng.rng.normal()]
            labels.append(upper ? 0 : 1)
        }
        return Samples(features: features, featureCount: 2, labels: labels)
    }

    /// A classification problem on `samples` for a tanh perceptron with the given hidden
    /// widths, priced on the whole set; populations are seeded with Xavier draws.
    static func network(_ samples: Samples, hidden: [Int], classes: Int = 2) throws -> Problem {
        let network = try Network.perceptron(inputs: samples.featureCount, hidden: hidden, outputs: classes, activation: .tanh)
        let objective = NetworkObjective(network: network)
        return try Problem(objective: objective, training: samples) { rng in
            network.initialWeights(.xavierUniform, rng: &rng)
        }
    }

    /// Training accuracy of `weights` on the problem's samples.
    static func accuracy(_ weights: [Float], _ problem: Problem) throws -> Float {
        guard let objective = problem.objective as? NetworkObjective else { return 0 }
        return try objective.evaluate(weights, on: problem.training).accuracy ?? 0
    }

    /// A problem over an analytic function whose starting points are uniform in [−bound, bound]ⁿ.
    static func uniform(_ kind: AnalyticFunction.Kind, dimension: Int, bound: Float) throws -> Problem {
        let function = try AnalyticFunction(kind, dimension: dimension)
        return try Problem(objective: function) { rng in
            (0..<dimension).map { _ in rng.uniform(-bound, bound) }
        }
    }
}

/// The outcome of driving an optimizer by hand.
struct RunResult {
    var incumbent: [Float]
    var loss: Float
    var trace: [Float]
    var units: Int
    var finished: String?
}

/// Drives `optimizer` from a draw of the problem's starting distribution (or `start`) until
/// the ledger has spent `budget` units or the optimizer finishes; records every step's loss.
func minimize(_ optimizer: some WeightOptimizer, on problem: Problem, budget: Int, seed: UInt64, start: [Float]? = nil) throws -> RunResult {
    var rng = RunState(rng: RandomStream(seed: seed))
    let initial = start ?? problem.sampleWeights(&rng.rng)
    var state = try optimizer.start(problem, from: initial, run: &rng)
    var trace: [Float] = []
    var finished: String?
    while problem.ledger.units < budget {
        let report = try optimizer.step(&state, problem, run: &rng)
        trace.append(report.loss)
        if let reason = report.finished {
            finished = reason
            break
        }
    }
    let best = optimizer.incumbent(state)
    let loss = try problem.objective.loss(at: best, on: problem.fitnessBatch(rng: &rng.rng))
    return RunResult(incumbent: best, loss: loss, trace: trace, units: problem.ledger.units, finished: finished)
}

/// The registry with the evolutionary family.
func registry() -> OptimizerRegistry {
    var registry = OptimizerRegistry()
    EvolutionaryFamily.register(in: &registry)
    return registry
}

/// The optimizer named `name` with `parameters` given as JSON object members
/// (`"populationSize": 20, "crossover": "blx"`), built by the family's registry.
func optimizer(_ name: String, _ parameters: String = "") throws -> any WeightOptimizer {
    let text = "{\"optimizer\": \"\(name)\"" + (parameters.isEmpty ? "" : ", " + parameters) + "}"
    return try registry().make(OptimizerSpec(parsing: text))
}

/// An objective defined by a closure (no gradient), charging one unit per evaluation.
final class FunctionObjective: Objective {
    let dimension: Int
    let ledger = CostLedger()
    let function: @Sendable ([Float]) -> Float
    var providesGradient: Bool { false }

    init(dimension: Int, _ function: @escaping @Sendable ([Float]) -> Float) {
        self.dimension = dimension
        self.function = function
    }

    func loss(at weights: [Float], on batch: Samples) throws -> Float {
        ledger.charge(1)
        return function(weights)
    }

    func lossAndGradient(at weights: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float {
        throw WeightLabError(.unsupported, "no gradient")
    }
}
