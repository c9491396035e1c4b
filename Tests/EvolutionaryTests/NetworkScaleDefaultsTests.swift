import Testing
import WeightLabCore
@testable import WeightLabEvolutionary

/// On a network without a given σ, SNES and sep-CMA-ES start with steps in units of each
/// weight's initializer scale; a given σ stays absolute.
@Suite struct NetworkScaleDefaultsTests {
    static func networkProblem() throws -> (Problem, [Float]) {
        let network = try Network(inputWidth: 16, layers: [.dense(units: 4), .activation(.relu), .dense(units: 3)])
        let scales = network.initialScales(.heNormal)
        let samples = Samples(features: [Float](repeating: 0.5, count: 16), featureCount: 16, labels: [1])
        let problem = try Problem(objective: NetworkObjective(network: network), training: samples, weightScales: scales) { rng in
            network.initialWeights(.heNormal, rng: &rng)
        }
        return (problem, scales)
    }

    @Test func snesStartsAtAShareOfEachWeightsScale() throws {
        let (problem, scales) = try Self.networkProblem()
        var rng = RandomStream(seed: 1)
        let start = problem.sampleWeights(&rng)
        #expect(try SNES().initialState(problem, from: start, rng: &rng).sigmas == scales.map { SNES.Parameters.layerShare * $0 })
        #expect(try SNES(sigma: 0.05).initialState(problem, from: start, rng: &rng).sigmas.allSatisfy { $0 == 0.05 })
    }

    @Test func separableCMAESStartsAtAShareOfEachWeightsScale() throws {
        let (problem, scales) = try Self.networkProblem()
        var rng = RandomStream(seed: 1)
        let start = problem.sampleWeights(&rng)
        let state = try SeparableCMAES().initialState(problem, from: start, rng: &rng)
        let steps = state.variances.map { state.sigma * $0.squareRoot() }
        for (step, scale) in zip(steps, scales) {
            #expect(abs(step - Double(SeparableCMAES.Parameters.layerShare * scale)) < 1e-7)
        }
        let given = try SeparableCMAES(sigma: 0.05).initialState(problem, from: start, rng: &rng)
        #expect(given.sigma == Double(Float(0.05)) && given.variances.allSatisfy { $0 == 1 })
    }
}
