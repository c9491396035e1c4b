import Testing
import WeightLabCore
import WeightLabTestSupport
import WeightLabEvolutionary
import WeightLabGradient
@testable import WeightLabHybrid

/// Memetic: what the two inheritance modes keep, and what refinement costs.
@Suite struct MemeticTests {
    /// A GA of 6 whose 2 best are refined by 3 Adam steps each.
    private func memetic(_ inheritance: Inheritance) throws -> Memetic<AskTellOptimizer<GeneticAlgorithm>> {
        try Memetic(
            population: AskTellOptimizer(try GeneticAlgorithm(populationSize: 6)), local: try Adam(learningRate: 0.05),
            localSteps: 3, refinement: .best(2), inheritance: inheritance)
    }

    /// One generation from a fresh state. The GA's first generation is its starting
    /// population as it is, so the population it keeps afterwards differs from the one
    /// before only by what the refinement wrote back.
    private func firstGeneration(_ inheritance: Inheritance, _ moons: Moons) throws -> (before: PopulationMatrix, state: Memetic<AskTellOptimizer<GeneticAlgorithm>>.State, units: Int) {
        let combiner = try memetic(inheritance)
        var rng = RunState(rng: RandomStream(seed: 3))
        var state = try combiner.start(moons.problem, from: moons.problem.sampleWeights(&rng.rng), run: &rng)
        let before = state.population.strategy.parents
        let units = moons.problem.ledger.units
        _ = try combiner.step(&state, moons.problem, run: &rng)
        return (before, state, moons.problem.ledger.units - units)
    }

    @Test func lamarckianWritesTheRefinedWeightsBack() throws {
        let moons = try Moons()
        let (before, state, _) = try firstGeneration(.lamarckian, moons)
        let after = state.population.strategy.parents
        let changed = (0..<6).filter { bits(after.row($0)) != bits(before.row($0)) }
        #expect(changed.count == 2)
        for i in 0..<6 {
            // Every individual's fitness is its own weights' loss, refined or not.
            #expect(state.population.strategy.fitness[i] == (try moons.trainingLoss(after.row(i))))
        }
        for i in changed { #expect(try moons.trainingLoss(after.row(i)) < moons.trainingLoss(before.row(i))) }
    }

    @Test func baldwinianKeepsTheWeightsAndTakesTheRefinedFitness() throws {
        let moons = try Moons()
        let (before, state, _) = try firstGeneration(.baldwinian, moons)
        let after = state.population.strategy.parents
        #expect(bits(after.values) == bits(before.values))
        let fitness = state.population.strategy.fitness
        let ownLoss = try (0..<6).map { try moons.trainingLoss(after.row($0)) }
        let refined = (0..<6).filter { fitness[$0] != ownLoss[$0] }
        #expect(refined.count == 2)
        for i in refined { #expect(fitness[i] < ownLoss[i]) }
        // The incumbent is the best refined point, which is in no row of the population.
        #expect(state.bestFitness == refined.map { fitness[$0] }.min())
        #expect((0..<6).allSatisfy { bits(after.row($0)) != bits(state.best) })
    }

    /// Per generation: 6 individuals × 200 samples, plus for each of the 2 refined ones
    /// 3 Adam steps × 3 × 20 units and 200 units to price the refined point.
    @Test(arguments: Inheritance.allCases)
    func refinementIsChargedToTheLedger(_ inheritance: Inheritance) throws {
        let (_, state, units) = try firstGeneration(inheritance, try Moons())
        #expect(units == 6 * 200 + 2 * (3 * 3 * 20 + 200))
        #expect(state.refinementUnits == 2 * (3 * 3 * 20 + 200))
        #expect(state.refinements == 2)
    }

    @Test func refiningAllRefinesEveryIndividual() throws {
        let combiner = try optimizer(#"{"optimizer": "memetic", "population": {"optimizer": "de", "populationSize": 5}, "local": {"optimizer": "sgd", "steps": 2}, "refine": "all"}"#)
        let moons = try Moons()
        let result = try run(combiner, on: moons, steps: 1)
        #expect(result.costUnits == 5 * 200 + 5 * (2 * 60 + 200))
        #expect(result.trace.rows.first?.part == "de+sgd")
    }
}
