import Foundation
import Testing
import WeightLab

/// The README's example of adding an optimizer, kept compiling and working.
struct RandomSearch: WeightOptimizer {
    static let sigma = Parameter("sigma", default: Float(0.1), .within(1e-6...10), "σ of the proposal")
    let sigma: Float
    var name: String { "random-search" }

    func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> PricedPoint {
        try PricedPoint(initial, on: problem)
    }

    func step(_ state: inout PricedPoint, _ problem: Problem, run: inout RunState) throws -> StepReport {
        let candidate = try PricedPoint(state.weights.map { $0 + sigma * run.rng.normal() }, on: problem)
        if candidate.loss <= state.loss { state = candidate }
        return StepReport(loss: state.loss)
    }
}

@Suite struct AddingAnOptimizerTests {
    @Test func registeredOptimizerRunsThroughTheRunLoop() throws {
        var registry = OptimizerRegistry.standard
        registry.register("random-search", family: "example", summary: "(1+1) random search", parameters: [RandomSearch.sigma.info]) { parameters in
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

    @Test func theStateIsItsPointAndResumesFromACheckpoint() throws {
        let sphere = try AnalyticFunction(.sphere, dimension: 2)
        let problem = try Problem(function: sphere, start: [3, -4])
        let optimizer = RandomSearch(sigma: 0.1)
        var run = RunState(problem, rng: RandomStream(seed: 1))
        var state = try optimizer.start(problem, from: [3, -4], run: &run)
        #expect(state.loss == 25, "3² + 4², priced on start")
        for _ in 0..<20 { _ = try optimizer.step(&state, problem, run: &run) }
        #expect(optimizer.incumbent(state) == state.weights)
        #expect(try sphere.loss(at: state.weights, on: .empty) == state.loss)
        let saved = try JSONCoding.encoder().encode(state)
        #expect(!String(decoding: saved, as: UTF8.self).contains("["), "the weights are packed, not a list of numbers")
        #expect(try JSONCoding.decoder().decode(PricedPoint.self, from: saved) == state)
    }

    /// The README's block is this file's code: every line of it appears here.
    @Test func theReadmeShowsThisCode() throws {
        let here = URL(fileURLWithPath: #filePath)
        let readme = try String(contentsOf: here.appending(path: "../../../README.md").standardized, encoding: .utf8)
        let source = try String(contentsOf: here, encoding: .utf8)
        let start = try #require(readme.range(of: "```swift\nimport WeightLab\n\n/// (1+1) random search"))
        let end = try #require(readme.range(of: "```\n", range: start.upperBound..<readme.endIndex))
        let lines = readme[start.lowerBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.count == 23, "the example stays short (29 lines before issue 12): \(lines.count) lines")
        let sourceLines = Set(source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        let missing = lines.filter { !$0.isEmpty && !sourceLines.contains($0) && !$0.hasPrefix("///") && !$0.hasPrefix("var registry") }
        #expect(missing.isEmpty, "README lines not in the test: \(missing)")
    }
}
