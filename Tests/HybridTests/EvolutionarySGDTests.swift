import Testing
import WeightLabCore
import WeightLabEvolutionary
import WeightLabGradient
@testable import WeightLabHybrid

/// Evolutionary SGD: the guarantee of its back-off and elitism, and its schedule.
@Suite struct EvolutionarySGDTests {
    /// Under a fixed fitness batch the best fitness in the population never rises from one
    /// evolution step to the next (Cui et al. 2018, section 3), even with a learning rate
    /// that makes single members worse.
    @Test func theBestFitnessNeverDegrades() throws {
        let moons = try Moons()
        let esgd = try EvolutionarySGD(
            trainers: [try Adam(learningRate: 0.02), try SGD(learningRate: 3)], populationSize: 4, interval: 5)
        var rng = RunState(rng: RandomStream(seed: 4))
        var state = try esgd.start(moons.problem, from: moons.problem.sampleWeights(&rng.rng), run: &rng)
        var best: [Float] = []
        for _ in 0..<(8 * 21) {
            let report = try esgd.step(&state, moons.problem, run: &rng)
            if report.part == "evolution" {
                best.append(report.loss)
                #expect(report.loss == state.members.map(\.fitness).min())
                #expect(try moons.trainingLoss(esgd.incumbent(state)) == report.loss)
            }
        }
        #expect(best.count == 8)
        #expect(zip(best, best.dropFirst()).allSatisfy { $1 <= $0 })
        #expect(best.last ?? .infinity < best.first ?? 0)
    }

    /// Members step in turn, `interval` steps each, then one evolution step priced at one
    /// forward pass per member and offspring: (4 + 2) × 200 units.
    @Test func membersTakeTurnsThenEvolve() throws {
        let combiner = try optimizer(#"{"optimizer": "esgd", "trainer": {"optimizer": "sgd"}, "populationSize": 4, "interval": 2, "offspring": 2}"#)
        let result = try run(combiner, on: try Moons(), steps: 18)
        let parts = result.trace.rows.map { $0.part ?? "" }
        let round = ["member 1", "member 2", "member 3", "member 4"]
        #expect(parts == round + round + ["evolution"] + round + round + ["evolution"])
        let units = result.trace.rows.map(\.costUnits)
        #expect(units[8] - units[7] == 6 * 200)
        #expect(units[7] == 8 * 60)
    }
}
