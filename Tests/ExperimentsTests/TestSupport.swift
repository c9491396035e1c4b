import Foundation
import WeightLabCore
@testable import WeightLabExperiments

/// A gradient-descent step on whatever objective the problem holds: enough to test the
/// experiment machinery without depending on an optimizer family.
struct PlainDescent: WeightOptimizer {
    struct State: Codable, Sendable {
        var weights: [Float]
        var gradient: [Float]
    }

    let name = "plain-descent"
    let learningRate: Float

    func start(_ problem: Problem, from initial: [Float], rng: inout RandomStream) throws -> State {
        State(weights: initial, gradient: [Float](repeating: 0, count: initial.count))
    }

    func step(_ state: inout State, _ problem: Problem, rng: inout RandomStream) throws -> StepReport {
        let loss = try problem.objective.lossAndGradient(at: state.weights, on: problem.nextBatch(), into: &state.gradient, rng: &rng)
        for i in state.weights.indices { state.weights[i] -= learningRate * state.gradient[i] }
        return StepReport(loss: loss, learningRate: learningRate)
    }

    func incumbent(_ state: State) -> [Float] { state.weights }
}

/// A registry holding `plain-descent` (learningRate in (0, 10], default 0.1).
func testRegistry() -> OptimizerRegistry {
    let registry = OptimizerRegistry()
    registry.register("plain-descent", family: "test", summary: "w ← w − η∇L") { parameters, _ in
        PlainDescent(learningRate: try parameters.float("learningRate", default: 0.1, in: 1e-6...10))
    }
    return registry
}

/// Parses YAML text as the file `x.yaml`.
func spec(_ yaml: String, quick: Bool = false) throws -> ExperimentSpec {
    try ExperimentSpec(SpecDocument.parse(yaml, file: "x.yaml", format: .yaml), quick: quick)
}

/// A fresh directory under the temporary directory, removed by the caller.
func temporaryDirectory(_ label: String = #function) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("weightlab-experiments-tests")
        .appendingPathComponent("\(label.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
