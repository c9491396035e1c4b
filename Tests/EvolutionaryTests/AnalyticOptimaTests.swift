import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabEvolutionary

/// One benchmark run: an optimizer specification, a budget in evaluations, and the loss it
/// must reach.
struct BenchmarkCase: CustomTestStringConvertible, Sendable {
    let name: String
    let parameters: String
    let evaluations: Int
    let target: Float
    var testDescription: String { "\(name) to \(target) in \(evaluations) evaluations" }
}

/// Analytic functions with known optima, 10 dimensions, Float32 weights. Every function
/// evaluation costs one ledger unit, so budgets are evaluation counts. Starting points are
/// drawn around the customary start (3, …, 3) with spread 1 unless said otherwise.
@Suite struct AnalyticOptimaTests {
    /// The 10-D sphere Σxᵢ² (optimum 0 at the origin). Target 1e-6, except 1e-3 for OpenAI-ES,
    /// whose fixed σ leaves its Adam-driven mean jittering around the optimum (it reaches
    /// about 2e-6 here).
    static let sphereCases: [BenchmarkCase] = [
        BenchmarkCase(name: "ga", parameters: #""mutationRate": 0.2, "sigma": 1, "selfAdaptive": true, "elitism": 2"#, evaluations: 60_000, target: 1e-6),
        BenchmarkCase(name: "pso", parameters: "", evaluations: 20_000, target: 1e-6),
        BenchmarkCase(name: "de", parameters: #""populationSize": 30, "differentialWeight": 0.5"#, evaluations: 40_000, target: 1e-6),
        BenchmarkCase(name: "cma-es", parameters: #""sigma": 1"#, evaluations: 5_000, target: 1e-6),
        BenchmarkCase(name: "sep-cma-es", parameters: #""sigma": 1"#, evaluations: 5_000, target: 1e-6),
        BenchmarkCase(name: "snes", parameters: #""sigma": 1"#, evaluations: 10_000, target: 1e-6),
        BenchmarkCase(name: "openai-es", parameters: #""sigma": 0.1, "learningRate": 0.05"#, evaluations: 40_000, target: 1e-3),
        BenchmarkCase(name: "pgpe", parameters: #""sigma": 1, "update": "adam", "learningRate": 0.03"#, evaluations: 60_000, target: 1e-6),
    ]

    @Test(arguments: sphereCases)
    func sphereOptimum(_ c: BenchmarkCase) throws {
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: 10))
        let result = try minimize(try optimizer(c.name, c.parameters), on: problem, budget: c.evaluations, seed: 1)
        #expect(result.loss <= c.target, "\(c.name) reached \(result.loss)")
        #expect(result.units <= c.evaluations + 2 * 60)
    }

    /// 10-D Rastrigin from starts uniform in [−5.12, 5.12]¹⁰: within 1.0 of the global minimum
    /// 0, i.e. past every local minimum but the ten at distance 1 (value 0.995). PSO needs the
    /// classical high-dimensional settings (inertia 0.9 → 0.4, c₁ = c₂ = 2, velocity clamp),
    /// DE a low crossover rate, which suits a separable function.
    static let rastriginCases: [BenchmarkCase] = [
        BenchmarkCase(
            name: "pso",
            parameters: #""populationSize": 100, "inertia": 0.9, "finalInertia": 0.4, "inertiaGenerations": 2000, "cognitive": 2, "social": 2, "velocityClamp": 2"#,
            evaluations: 200_000, target: 1.0),
        BenchmarkCase(name: "de", parameters: #""differentialWeight": 0.5, "crossoverRate": 0.1"#, evaluations: 100_000, target: 1.0),
    ]

    @Test(arguments: rastriginCases)
    func rastriginGlobalMinimum(_ c: BenchmarkCase) throws {
        let problem = try TestProblems.uniform(.rastrigin, dimension: 10, bound: 5.12)
        let result = try minimize(try optimizer(c.name, c.parameters), on: problem, budget: c.evaluations, seed: 1)
        #expect(result.loss <= c.target, "\(c.name) reached \(result.loss)")
    }

    /// CMA-ES solves 10-D Rosenbrock from the customary start (−1.2, 1, −1.2, …) to 1e-6 in at
    /// most 20,000 evaluations. Float32 limits how close the individuals can get to (1, …, 1)
    /// (spacing 1.2e-7 near 1, a loss near 1e-13), far below the target; the run stops on its
    /// own once the distribution is narrower than Float32 resolves.
    @Test func cmaESSolvesRosenbrock() throws {
        let function = try AnalyticFunction(.rosenbrock, dimension: 10)
        let problem = try Problem(function: function)
        let result = try minimize(try optimizer("cma-es", #""sigma": 0.5"#), on: problem, budget: 20_000, seed: 1, start: function.customaryStart)
        #expect(result.loss <= 1e-6, "cma-es reached \(result.loss)")
        let distance = zip(result.incumbent, function.minimizer).map { abs($0 - $1) }.max() ?? 1
        #expect(distance < 1e-3)
    }
}

/// Simulated annealing against 2-D Rastrigin from the far corner (4.5, 4.5), 20 seeded runs of
/// 5,000 evaluations each; success means ending in the global basin (loss < 0.5, below the
/// 0.995 of the nearest local minima).
@Suite struct AnnealingTests {
    func successes(_ name: String, _ parameters: String, budget: Int) throws -> Int {
        var count = 0
        for seed in 1...20 as ClosedRange<UInt64> {
            let problem = try Problem(function: try AnalyticFunction(.rastrigin, dimension: 2))
            let result = try minimize(try optimizer(name, parameters), on: problem, budget: budget, seed: seed, start: [4.5, 4.5])
            if result.loss < 0.5 { count += 1 }
        }
        return count
    }

    @Test func simulatedAnnealingFindsTheGlobalMinimumInMostRuns() throws {
        // Calibrated T₀, exponential cooling 0.999 per move, Gaussian moves of scale 0.5.
        #expect(try successes("sa", #""stepSize": 0.5"#, budget: 5_000) >= 15)
    }

    @Test func gslAnnealingFindsTheGlobalMinimumInMostRuns() throws {
        // GSL's schedule: 97 temperatures from 10 down to 1e-3 (μ_T = 1.1), 50 moves each.
        let parameters = #""stepSize": 1, "temperature": 10, "coolingFactor": 1.1, "minimumTemperature": 0.001, "iterationsPerTemperature": 50"#
        #expect(try successes("gsl-siman", parameters, budget: 10_000) >= 15)
    }

    @Test func gslScheduleFixesTheBudget() throws {
        // ⌊ln(10/0.001)/ln 1.1⌋ + 1 = 97 temperatures × 50 moves, plus GSL's pricing of the start
        // point once per call: 10 calls of 10 temperatures.
        let siman = try GSLAnnealing(iterationsPerTemperature: 50, temperature: 10, coolingFactor: 1.1, minimumTemperature: 0.001, temperaturesPerStep: 10)
        #expect(siman.temperatureCount == 97)
        let problem = try Problem(function: try AnalyticFunction(.rastrigin, dimension: 2))
        var rng = RunState(rng: RandomStream(seed: 3))
        var state = try siman.start(problem, from: [4.5, 4.5], run: &rng)
        var steps = 0
        var report = StepReport(loss: .infinity)
        while report.finished == nil {
            report = try siman.step(&state, problem, run: &rng)
            steps += 1
        }
        #expect(steps == 10)
        #expect(problem.ledger.units == 97 * 50 + 10)
        let value = try problem.objective.loss(at: state.weights, on: .empty)
        #expect(value == report.loss)
    }

    @Test func firstMoveIsAcceptedWithTheMetropolisProbability() throws {
        // A landscape that is 0 at the start and Δ = 1 everywhere else: the first move goes
        // uphill by exactly Δ and is accepted with probability exp(−Δ/T₀) = exp(−1/2).
        let runs = 4_000
        var accepted = 0
        let annealing = try SimulatedAnnealing(temperature: 2, movesPerStep: 1)
        for seed in 0..<runs {
            let plateau = FunctionObjective(dimension: 1) { $0 == [0] ? 0 : 1 }  // 0 at the start, 1 elsewhere
            let problem = try Problem(objective: plateau) { _ in [0] }
            var rng = RunState(rng: RandomStream(seed: UInt64(seed)))
            var state = try annealing.start(problem, from: [0], run: &rng)
            _ = try annealing.step(&state, problem, run: &rng)
            if state.current != [0] { accepted += 1 }
        }
        #expect(withinSampling(Double(accepted) / Double(runs), exp(-0.5), draws: runs))
    }
}
