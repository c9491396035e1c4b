import Testing
import WeightLabCore
import WeightLabTestSupport
import WeightLabEvolutionary
import WeightLabGradient
@testable import WeightLabHybrid

/// Sequential hand-off: where the next part starts, and when.
@Suite struct SequentialTests {
    @Test func theSecondPartStartsExactlyFromTheFirstPartsIncumbent() throws {
        let ga = AskTellOptimizer(try GeneticAlgorithm(populationSize: 8))
        let chain = try SequentialHandOff([.init(ga, until: try HandOffRule(steps: 4)), .init(try Adam(learningRate: 0.01))])
        let moons = try Moons()
        var rng = RandomStream(seed: 5)
        let start = moons.problem.sampleWeights(&rng)
        var chainRandom = RunState(rng: rng)
        var alone = RunState(rng: rng)
        var state = try chain.start(moons.problem, from: start, run: &chainRandom)
        var gaState = try ga.start(moons.problem, from: start, run: &alone)
        for step in 1...4 {
            _ = try ga.step(&gaState, moons.problem, run: &alone)
            let report = try chain.step(&state, moons.problem, run: &chainRandom)
            #expect(report.part == "1:ga")
            #expect(state.stage == (step < 4 ? 0 : 1))
        }
        // Adam's state before its first step holds its starting weights.
        #expect(bits(chain.incumbent(state)) == bits(ga.incumbent(gaState)))
        #expect(try chain.step(&state, moons.problem, run: &chainRandom).part == "2:adam")
    }

    /// GA generations cost populationSize × 200 units, Adam steps 3 × 20 = 60. With a budget
    /// of 100,000 units and a share of 0.3, the GA hands off at the first generation that
    /// reaches 30,000 units: 15 of 2,000 units exactly, or 22 of 1,400 (30,800 units).
    /// Adam then runs until the run's budget is reached, overshooting by less than a step.
    @Test(arguments: [(10, 15, 30_000), (7, 22, 30_800)])
    func budgetSharesAreHonoredToTheUnit(populationSize: Int, generations: Int, handOffUnits: Int) throws {
        let chain = try optimizer("""
            {"optimizer": "sequential", "budget": 100000,
             "parts": [{"optimizer": "ga", "populationSize": \(populationSize), "until": {"share": 0.3}},
                       {"optimizer": "adam", "learningRate": 0.01}]}
            """)
        let result = try run(chain, on: try Moons(), budget: 100_000)
        let gaRows = result.trace.rows.filter { $0.part == "1:ga" }
        let adamRows = result.trace.rows.filter { $0.part == "2:adam" }
        #expect(gaRows.count == generations)
        #expect(gaRows.last?.costUnits == handOffUnits)
        #expect(adamRows.first?.costUnits == handOffUnits + 60)
        let adamSteps = (100_000 - handOffUnits + 59) / 60
        #expect(adamRows.count == adamSteps)
        #expect(result.costUnits == handOffUnits + 60 * adamSteps)
    }

    @Test func chainsOfAnyLengthHandOffOnStepsUnitsAndStagnation() throws {
        let chain = try optimizer("""
            {"optimizer": "sequential",
             "parts": [{"optimizer": "sgd", "learningRate": 0.1, "until": {"steps": 3}},
                       {"optimizer": "adam", "until": {"units": 300}},
                       {"optimizer": "ga", "populationSize": 4, "crossoverRate": 0, "sigma": 0, "until": {"stagnation": 2}},
                       {"optimizer": "momentum", "learningRate": 0.05}]}
            """)
        let result = try run(chain, on: try Moons(), steps: 14)
        // sgd: 3 steps; adam: 5 steps of 60 units; a GA without crossover or mutation only
        // copies its parents, so its best stays that of the first generation for 1 + 2 steps.
        let parts = result.trace.rows.map { $0.part ?? "" }
        #expect(parts == Array(repeating: "1:sgd", count: 3) + Array(repeating: "2:adam", count: 5)
            + Array(repeating: "3:ga", count: 3) + Array(repeating: "4:momentum", count: 3))
    }

    @Test func aLastPartWithARuleEndsTheRun() throws {
        let chain = try optimizer(#"{"optimizer": "sequential", "parts": [{"optimizer": "adam", "until": {"steps": 7}}]}"#)
        let result = try run(chain, on: try Moons(), steps: 100)
        #expect(result.steps == 7)
        #expect(result.status == .completed(.optimizerFinished("sequential: the last part's hand-off rule was met")))
    }
}
