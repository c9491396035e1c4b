import Testing
import WeightLabCore
import WeightLabTestSupport
import WeightLabGradient
@testable import WeightLabHybrid

/// Population-based training: exploit copies exactly, explore perturbs by the stated factors.
@Suite struct PopulationBasedTrainingTests {
    private let trainer = { () throws -> TunableTrainer in
        try TunableTrainer(["learningRate", "weightDecay"], startingAt: [0.01, 0.001]) { values in
            try Adam(learningRate: values[0], weightDecay: values[1])
        }
    }

    /// A population of 4 after each member has taken 5 Adam steps, measured at fitness
    /// 3, 1, 4, 2: member 2 (index 1) is the strongest, member 3 (index 2) the weakest.
    private func trainedPopulation(_ moons: Moons) throws -> (PopulationBasedTraining, PopulationBasedTraining.State) {
        let pbt = try PopulationBasedTraining(trainer: trainer(), populationSize: 4, interval: 5, truncation: 0.25)
        var rng = RunState(rng: RandomStream(seed: 9))
        var state = try pbt.start(moons.problem, from: moons.problem.sampleWeights(&rng.rng), run: &rng)
        for _ in 0..<20 { _ = try pbt.step(&state, moons.problem, run: &rng) }
        for (i, fitness) in [Float(3), 1, 4, 2].enumerated() { state.members[i].fitness = fitness }
        return (pbt, state)
    }

    @Test func exploitCopiesWeightsOptimizerStateAndHyperparametersExactly() throws {
        let (pbt, original) = try trainedPopulation(try Moons())
        #expect(original.members[1].hyperparameters != original.members[2].hyperparameters)
        var state = original
        var rng = RunState(rng: RandomStream(seed: 1))
        let copies = pbt.exploit(&state, rng: &rng.rng)
        #expect(copies.map(\.member) == [2])
        #expect(copies.map(\.source) == [1])
        #expect(state.members[2].hyperparameters == original.members[1].hyperparameters)
        #expect(state.members[2].fitness == 1)
        let adam = try pbt.trainer.make(pbt.trainer.values)
        #expect(bits(adam.incumbent(state.members[2].state)) == bits(adam.incumbent(original.members[1].state)))
        #expect(try json(state.members[2].state) == json(original.members[1].state))
        for i in [0, 1, 3] { #expect(try json(state.members[i].state) == json(original.members[i].state)) }
    }

    @Test func explorePerturbsEachHyperparameterByOneOfTheFactors() throws {
        let (pbt, original) = try trainedPopulation(try Moons())
        var rng = RunState(rng: RandomStream(seed: 2))
        var seen: Set<Float> = []
        for _ in 0..<100 {
            var state = original
            pbt.explore(&state, members: [2], rng: &rng.rng)
            for (new, old) in zip(state.members[2].hyperparameters, original.members[2].hyperparameters) {
                #expect(new == old * 0.8 || new == old * 1.2)
                seen.insert(new / old)
            }
            #expect(state.members[0].hyperparameters == original.members[0].hyperparameters)
        }
        #expect(seen.count == 2)
    }

    @Test func thePopulationStepExploitsThenExploresAndTheCopyTrainsAtItsNewRate() throws {
        let moons = try Moons()
        let pbt = try PopulationBasedTraining(trainer: trainer(), populationSize: 4, interval: 5, truncation: 0.25)
        var rng = RunState(rng: RandomStream(seed: 9))
        var state = try pbt.start(moons.problem, from: moons.problem.sampleWeights(&rng.rng), run: &rng)
        for _ in 0..<20 { _ = try pbt.step(&state, moons.problem, run: &rng) }
        let before = state
        let report = try pbt.step(&state, moons.problem, run: &rng)
        #expect(report.part == "exploit/explore")
        // With 4 members and truncation 0.25, one member (the weakest) copies the strongest.
        let changed = (0..<4).filter { state.members[$0].hyperparameters != before.members[$0].hyperparameters }
        let copier = try #require(changed.count == 1 ? changed.first : nil)
        let fitness = state.members.map(\.fitness)
        let source = try #require((0..<4).first { $0 != copier && fitness[$0] == fitness.min() })
        #expect(fitness[copier] == fitness[source])
        let adam = try pbt.trainer.make(pbt.trainer.values)
        #expect(bits(adam.incumbent(state.members[copier].state)) == bits(adam.incumbent(state.members[source].state)))
        for (new, old) in zip(state.members[copier].hyperparameters, before.members[source].hyperparameters) {
            #expect(new == old * 0.8 || new == old * 1.2)
        }
        var last = report
        for _ in 0...copier { last = try pbt.step(&state, moons.problem, run: &rng) }
        #expect(last.part == "member \(copier + 1)")
        #expect(last.learningRate == state.members[copier].hyperparameters[0])
    }

    @Test func membersStartAtTheirValuesSpreadLogUniformly() throws {
        let moons = try Moons()
        let pbt = try PopulationBasedTraining(trainer: trainer(), populationSize: 6, initialSpread: 3)
        var rng = RunState(rng: RandomStream(seed: 4))
        let state = try pbt.start(moons.problem, from: moons.problem.sampleWeights(&rng.rng), run: &rng)
        #expect(state.members[0].hyperparameters == [0.01, 0.001])
        for member in state.members.dropFirst() {
            #expect(member.hyperparameters[0] >= 0.01 / 3 * 0.9999 && member.hyperparameters[0] <= 0.01 * 3 * 1.0001)
            #expect(member.hyperparameters[1] >= 0.001 / 3 * 0.9999 && member.hyperparameters[1] <= 0.001 * 3 * 1.0001)
        }
        #expect(Set(state.members.map { $0.hyperparameters[0] }).count == 6)
    }
}
