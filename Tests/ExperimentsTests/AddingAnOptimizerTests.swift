import Testing
import WeightLab

/// The README's example of adding an optimizer, kept compiling and working.
struct RandomSearch: WeightOptimizer {
    struct State: Codable, Sendable {
        var weights: [Float]
        var loss: Float
    }

    static let sigma = Parameter("sigma", default: Float(0.1), .within(1e-6...10), "σ of the proposal")
    let sigma: Float
    var name: String { "random-search" }

    func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        State(weights: initial, loss: try problem.objective.loss(at: initial, on: problem.fullBatch))
    }

    func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        let candidate = state.weights.map { $0 + sigma * run.rng.normal() }
        let loss = try problem.objective.loss(at: candidate, on: problem.fullBatch)
        if loss <= state.loss { state = State(weights: candidate, loss: loss) }
        return StepReport(loss: state.loss)
    }

    func incumbent(_ state: State) -> [Float] { state.weights }
}

@Suite struct AddingAnOptimizerTests {
    @Test func registeredOptimizerRunsThroughTheRunLoop() throws {
        var registry = OptimizerRegistry.standard
        registry.register("random-search", family: "example", summary: "(1+1) random search", parameters: [RandomSearch.sigma.info]) { parameters, _ in
            RandomSearch(sigma: try parameters.value(RandomSearch.sigma))
        }
        let optimizer = try registry.make(OptimizerSpec(parsing: #"{"optimizer": "random-search", "sigma": 0.05}"#))
        let sphere = try AnalyticFunction(.sphere, dimension: 3)
        let problem = try Problem(function: sphere, start: [1, 1, 1])
        let result = try Trainer(AnyWeightOptimizer(optimizer), on: problem, configuration: RunConfiguration(stopping: [.steps(2000)]))
            .run(from: [1, 1, 1])
        #expect(try sphere.loss(at: result.weights, on: .empty) < 0.01, "random search walks down the sphere from a loss of 3")
        #expect(result.steps == 2000)
        // The standard registry is a value built once: the copy grew, the standard did not.
        #expect(OptimizerRegistry.standard.entry("random-search") == nil)
        #expect(registry.names.count == OptimizerRegistry.standard.names.count + 1)
        #expect(throws: WeightLabError.self) { try registry.make(OptimizerSpec(name: "random-search", parameters: ["sigma": .number(-1)])) }
    }
}
