import Foundation
import Testing
import WeightLabCore
@testable import WeightLabEvolutionary

/// A population method whose state cannot fit in memory is refused at its start, before
/// allocating, with the estimate; one that fits starts.
@Suite struct MemoryRefusalTests {
    @Test func fullCMAESOnHundredsOfThousandsOfWeightsIsRefusedWithItsEstimate() throws {
        let d = 300_000
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: d))
        var run = RunState(problem, rng: RandomStream(seed: 1))
        let start = [Float](repeating: 0.5, count: d)
        do {
            _ = try optimizer("cma-es").start(problem, from: start, run: &run)
            Issue.record("cma-es started on 300,000 weights")
        } catch let error as WeightLabError {
            // C, B and the eigen workspace: 3 × 8 × d² bytes = 1.96 TiB.
            #expect(error.message.hasPrefix("cma-es on 300000 weights needs about 2.0 TiB (population "), "\(error.message)")
            #expect(error.message.contains("strategy state: 2.0 TiB"))
        }
        // sep-CMA-ES keeps a diagonal: it fits.
        _ = try optimizer("sep-cma-es").start(problem, from: start, run: &run)
    }

    /// A method, the part of its estimate that holds its own copies of the weights, and its
    /// bytes on d weights counted from the state it keeps (4-byte floats).
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let parameters: String
        let part: String
        let bytes: @Sendable (_ d: Int) -> Int
        var description: String { name + (parameters.isEmpty ? "" : " {\(parameters)}") }
    }

    static let cases = [
        // The population asked for and the parents; σ, child σ, fitness, sort order, chosen
        // parents and selection weights per individual: 4 + 4 + 4 + 8 + 8 + 8 + (pairs) ≤ 48.
        Case(name: "ga", parameters: "", part: "parents 50 × 1000 × 4 bytes") { d in 50 * d * 4 + 50 * d * 4 + 50 * 48 },
        // The population, positions, velocities and personal bests; best fitness and leader.
        Case(name: "pso", parameters: "", part: "positions, velocities and personal bests 3 × 40 × 1000 × 4 bytes") { d in 4 * 40 * d * 4 + 40 * 12 },
        // The trials and the members; the members' fitness.
        Case(name: "de", parameters: "", part: "members 50 × 1000 × 4 bytes") { d in 2 * 50 * d * 4 + 50 * 4 },
        // The evolution strategies: the population with its center row, the generation's
        // perturbations (mirrored pairs: P/2 rows; SNES and sep-CMA-ES: one per sample), and
        // 8 doubles per weight for their vectors.
        Case(name: "openai-es", parameters: #""populationSize": 20"#, part: "perturbations 10 × 1000 × 4 bytes") { d in 21 * d * 4 + 10 * d * 4 + 64 * d },
        Case(name: "pgpe", parameters: #""populationSize": 20"#, part: "perturbations 10 × 1000 × 4 bytes") { d in 21 * d * 4 + 10 * d * 4 + 64 * d },
        Case(name: "snes", parameters: #""populationSize": 20"#, part: "draws 20 × 1000 × 4 bytes") { d in 21 * d * 4 + 20 * d * 4 + 64 * d },
        Case(name: "sep-cma-es", parameters: #""populationSize": 20"#, part: "draws 20 × 1000 × 4 bytes") { d in 21 * d * 4 + 20 * d * 4 + 64 * d },
        // Current, best and candidate points; with a subset move, an (index, value) per moved weight.
        Case(name: "sa", parameters: "", part: "current, best and candidate points 3 × 1000 × 4 bytes") { d in 3 * d * 4 },
        Case(name: "sa", parameters: #""moveFraction": 0.01"#, part: "undo list 16 bytes per moved weight") { d in 3 * d * 4 + d / 100 * 16 },
        // gsl_siman_solve's x, new_x and best_x and our start block (16-byte header + weights),
        // the state's weights and the energy's copy.
        Case(name: "gsl-siman", parameters: "", part: "configurations 4 × (16 + 1000 × 4) bytes") { d in 4 * (16 + 4 * d) + 2 * 4 * d },
    ]

    @Test(arguments: cases)
    func aMethodIsRefusedOneByteShortOfItsEstimateAndStartsWithIt(_ method: Case) throws {
        let d = 1000
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: d))
        let start = [Float](repeating: 0.5, count: d)
        let needed = method.bytes(d)
        var run = RunState(problem, rng: RandomStream(seed: 1))
        let optimizer = try optimizer(method.name, method.parameters)
        do {
            try MemoryEstimate.$budget.withValue(needed - 1) { _ = try optimizer.start(problem, from: start, run: &run) }
            Issue.record("\(method) started with a budget of one byte less than its estimate, \(needed) bytes")
        } catch let error as WeightLabError {
            let kib = { (bytes: Int) in String(format: "%.1f KiB", Double(bytes) / 1024) }
            #expect(error.message.hasPrefix("\(method.name) on 1000 weights needs about \(kib(needed)) ("), "\(error.message)")
            #expect(error.message.contains(method.part + ": "), "\(error.message)")
            #expect(error.message.hasSuffix(") but \(kib(needed - 1)) of memory are available; make it smaller"), "\(error.message)")
        }
        try MemoryEstimate.$budget.withValue(needed) { _ = try optimizer.start(problem, from: start, run: &run) }
    }

    @Test func aGeneticAlgorithmTooLargeForTheMachineIsRefusedBeforeItsPopulationIsMade() throws {
        // 10⁶ individuals of 10⁶ weights: 4 TB for the population, 4 TB more for the parents.
        let d = 1_000_000
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: d))
        var run = RunState(problem, rng: RandomStream(seed: 1))
        let start = [Float](repeating: 0.5, count: d)
        let matrix = String(format: "%.1f TiB", Double(d) * Double(d) * 4 / Double(1 << 40))
        let total = String(format: "%.1f TiB", (2 * Double(d) * Double(d) * 4 + Double(d) * 48) / Double(1 << 40))
        do {
            _ = try optimizer("ga", #""populationSize": 1000000"#).start(problem, from: start, run: &run)
            Issue.record("ga started with 10⁶ individuals of 10⁶ weights")
        } catch let error as WeightLabError {
            #expect(error.message.hasPrefix("ga on 1000000 weights needs about \(total) (population 1000000 × 1000000 × 4 bytes: \(matrix), parents 1000000 × 1000000 × 4 bytes: \(matrix), "), "\(error.message)")
        }
    }
}
