import Testing
import WeightLabCore
@testable import WeightLabEvolutionary

/// Every gradient-free method on a box that excludes the function's minimum: the methods are
/// pulled against the bounds, and must keep their incumbent inside at every step.
@Suite struct SearchBoxHandlingTests {
    /// Sphere on [1, 3]³: the constrained minimum is the corner (1, 1, 1), value 3.
    static func cornerProblem() throws -> (Problem, SearchBox) {
        let box = try SearchBox(low: 1, high: 3, dimension: 3)
        return (try Problem(function: try AnalyticFunction(.sphere, dimension: 3), box: box), box)
    }

    /// Steps `optimizer` `steps` times, returning the incumbents seen after every step.
    static func incumbents<O: WeightOptimizer>(_ optimizer: O, on problem: Problem, steps: Int, seed: UInt64) throws -> [[Float]] {
        var run = RunState(rng: RandomStream(seed: seed))
        let start = problem.sampleWeights(&run.rng)
        var state = try optimizer.start(problem, from: start, run: &run)
        var seen = [optimizer.incumbent(state)]
        for _ in 0..<steps {
            let report = try optimizer.step(&state, problem, run: &run)
            seen.append(optimizer.incumbent(state))
            if report.finished != nil { break }
        }
        return seen
    }

    @Test(arguments: ["ga", "pso", "de", "cma-es", "sep-cma-es", "openai-es", "pgpe", "snes", "sa"])
    func incumbentNeverLeavesTheBox(_ name: String) throws {
        let (problem, box) = try Self.cornerProblem()
        let method = try optimizer(name, name == "sa" ? #""movesPerStep": 20"# : "")
        let seen = try Self.incumbents(method, on: problem, steps: 60, seed: 7)
        for (step, x) in seen.enumerated() {
            #expect(box.contains(x), "\(name) step \(step): incumbent \(x) outside [1, 3]³")
        }
    }

    @Test(arguments: ["de", "cma-es", "pso"])
    func methodsFindTheCornerMinimum(_ name: String) throws {
        let (problem, _) = try Self.cornerProblem()
        let method = try optimizer(name)
        let result = try minimize(method, on: problem, budget: 20_000, seed: 3)
        let function = try AnalyticFunction(.sphere, dimension: 3)
        #expect(try function.loss(at: result.incumbent, on: .empty) < 3.001, "\(name) ends at \(result.incumbent)")
    }

    @Test func startsOutsideTheBoxAreProjected() throws {
        let (problem, box) = try Self.cornerProblem()
        var run = RunState(rng: RandomStream(seed: 1))
        let ga = try optimizer("ga")
        func incumbent<O: WeightOptimizer>(_ o: O) throws -> [Float] {
            o.incumbent(try o.start(problem, from: [-9, 2, 9], run: &run))
        }
        #expect(try incumbent(ga) == [1, 2, 3])
        #expect(box.contains(try incumbent(try optimizer("sa"))))
    }

    @Test func eachMethodStatesItsRepair() {
        #expect((try? GeneticAlgorithm())?.boxHandling == .reflect)
        #expect((try? ParticleSwarm())?.boxHandling == .clip)
        #expect((try? DifferentialEvolution())?.boxHandling == .resample)
        #expect((try? CMAES())?.boxHandling == .clipWithPenalty)
    }

    @Test func differentialEvolutionResamplesOnlyTheViolatingCoordinates() throws {
        let box = try SearchBox(low: -1, high: 1, dimension: 4)
        var population = PopulationMatrix(count: 2, dimension: 4)
        population.values = [0.5, 7, -0.25, -3, 1, -1, 0, 0.75]
        var rng = RandomStream(seed: 5)
        BoxHandling.resample.repair(&population, rows: 2, box: box, rng: &rng)
        #expect(population.values[0] == 0.5 && population.values[2] == -0.25)
        #expect(population.values[1] != 7 && abs(population.values[1]) <= 1)
        #expect(population.values[3] != -3 && abs(population.values[3]) <= 1)
        #expect(Array(population.values[4...]) == [1, -1, 0, 0.75])
    }
}
