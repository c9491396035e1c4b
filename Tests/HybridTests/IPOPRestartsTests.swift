import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabHybrid

@Suite struct IPOPRestartsTests {
    /// Rastrigin on its standard domain, starts uniform in the box.
    static func rastrigin(_ dimension: Int) throws -> (AnalyticFunction, Problem) {
        let f = try AnalyticFunction(.rastrigin, dimension: dimension)
        return (f, try Problem(function: f, box: f.standardBox))
    }

    static func finalValue(_ spec: String, dimension: Int, budget: Int, seed: UInt64) throws -> Float {
        let (f, problem) = try rastrigin(dimension)
        let configuration = RunConfiguration(stopping: [.costUnits(budget)], recording: .steps(1_000_000), seed: seed)
        let result = try Trainer(try optimizer(spec), on: problem, configuration: configuration).run()
        return try f.loss(at: result.weights, on: .empty) - f.minimum
    }

    @Test func eachRestartDoublesThePopulation() throws {
        let ipop = try #require(try optimizer(#"{"optimizer": "ipop", "inner": {"optimizer": "cma-es"}, "restarts": 3}"#).base as? IPOPRestarts)
        let (_, problem) = try Self.rastrigin(4)
        var run = RunState(rng: RandomStream(seed: 2))
        var state = try ipop.start(problem, from: problem.sampleWeights(&run.rng), run: &run)
        #expect(state.baseSize == 4 + Int(3 * log(4.0)), "λ₀ is CMA-ES's default 4 + ⌊3 ln n⌋")
        var sizes: [Int] = []
        var labels: [String] = []
        for _ in 0..<3000 {
            let report = try ipop.step(&state, problem, run: &run)
            labels.append(report.part ?? "")
            if sizes.last != state.baseSize << state.restart { sizes.append(state.baseSize << state.restart) }
            if report.finished != nil { break }
        }
        #expect(sizes == [8, 16, 32, 64], "three restarts, each doubling λ = 8")
        #expect(labels.last == "cma-es×64")
    }

    /// A large population that is still exploring sets records rarely, but its generations
    /// still spread widely, so it is not restarted: with λ = 160 on 10-D Rastrigin the first run
    /// lasts until its fitness is flat (a rule on the best value alone, with its window of
    /// 10 + ⌈30n/λ⌉ = 12 generations, cut it after 25), and when it ends its best value is
    /// that of a converged run: a local minimum, an integer multiple of about 0.995 (or 0).
    @Test func aLargePopulationIsNotRestartedWhileItExplores() throws {
        let ipop = try #require(try optimizer(#"{"optimizer": "ipop", "inner": {"optimizer": "cma-es", "populationSize": 160}, "restarts": 1}"#).base as? IPOPRestarts)
        let (_, problem) = try Self.rastrigin(10)
        var run = RunState(rng: RandomStream(seed: 1))
        var state = try ipop.start(problem, from: problem.sampleWeights(&run.rng), run: &run)
        var generations = 0
        var lastBest = Float.infinity
        while state.restart == 0 && generations < 5_000 {
            lastBest = state.runBest
            _ = try ipop.step(&state, problem, run: &run)
            generations += 1
        }
        #expect(state.restart == 1)
        #expect(generations > 60, "the first run lasted \(generations) generations")
        let minima = (lastBest / 0.99496).rounded()
        #expect(abs(lastBest - 0.99496 * minima) < 1e-3 * max(1, minima), "ended at \(lastBest)")
    }

    @Test func restartsRaiseTheSuccessRateOnRastrigin() throws {
        // 5-D Rastrigin, 50,000 evaluations, 6 seeds: plain CMA-ES ends in a local minimum on
        // most seeds, IPOP finds the global one (within 1e-4) on more.
        var plain = 0
        var restarted = 0
        for seed: UInt64 in 1...6 {
            if try Self.finalValue(#"{"optimizer": "cma-es"}"#, dimension: 5, budget: 50_000, seed: seed) < 1e-4 { plain += 1 }
            if try Self.finalValue(#"{"optimizer": "ipop", "inner": {"optimizer": "cma-es"}}"#, dimension: 5, budget: 50_000, seed: seed) < 1e-4 { restarted += 1 }
        }
        #expect(restarted > plain, "IPOP \(restarted)/6 against plain CMA-ES \(plain)/6")
        #expect(restarted >= 4, "IPOP \(restarted)/6")
    }

    @Test func theInnerMustBeAPopulationMethodWithAPopulationSize() {
        #expect(throws: WeightLabError.self) { try optimizer(#"{"optimizer": "ipop", "inner": {"optimizer": "adam"}}"#) }
        #expect(throws: WeightLabError.self) { try optimizer(#"{"optimizer": "ipop"}"#) }
        #expect(throws: WeightLabError.self) { try optimizer(#"{"optimizer": "ipop", "inner": {"optimizer": "ga"}, "restarts": -1}"#) }
    }

    @Test func aCheckpointedRunResumesIdentically() throws {
        let (_, problem) = try Self.rastrigin(3)
        let spec = #"{"optimizer": "ipop", "inner": {"optimizer": "de", "populationSize": 8}, "restarts": 2}"#
        let url = temporaryFile("ipop.json")
        defer { try? FileManager.default.removeItem(at: url) }
        let whole = try Trainer(try optimizer(spec), on: problem, configuration: RunConfiguration(stopping: [.steps(400)], recording: .everyStep, seed: 4)).run()
        _ = try Trainer(
            try optimizer(spec), on: problem,
            configuration: RunConfiguration(stopping: [.steps(150)], recording: .everyStep, checkpoint: CheckpointPolicy(url: url, everySteps: 150), seed: 4)
        ).run()
        let resumed = try Trainer(try optimizer(spec), on: problem, configuration: RunConfiguration(stopping: [.steps(400)], recording: .everyStep, seed: 4))
            .resume(from: url)
        #expect(bits(resumed.weights) == bits(whole.weights))
        #expect(sameRows(resumed.trace, whole.trace))
    }
}
