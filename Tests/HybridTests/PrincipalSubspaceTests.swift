import Testing
import WeightLabCore
import WeightLabTestSupport
import WeightLabEvolutionary
import WeightLabGradient
@testable import WeightLabHybrid

/// `principal-subspace`: any optimizer run on the network's weights seen through the inputs'
/// principal subspace.
@Suite struct PrincipalSubspaceTests {
    /// The wrapper adds nothing to its inner optimizer: Adam stepped through it follows the
    /// trajectory of Adam stepped by hand on a `SubspaceObjective` with the same mini-batches,
    /// and every column of W₁ moves along the one principal direction.
    @Test func runsTheInnerOptimizerOnTheReparameterizedProblem() throws {
        let moons = try Moons()
        let adam = try Adam(learningRate: 0.05)
        let wrapper = try PrincipalSubspace(adam, components: 1)
        var rng = RandomStream(seed: 3)
        let start = moons.problem.sampleWeights(&rng)
        var wrapperStream = RunState(rng: rng)
        var state = try wrapper.start(moons.problem, from: start, run: &wrapperStream)
        #expect(bits(wrapper.incumbent(state)) == bits(start))

        let subspace = try InputSubspace.principal(of: moons.data.train, network: moons.network, origin: start, components: 1)
        let byHand = try Problem(
            objective: SubspaceObjective(NetworkObjective(network: moons.network), through: subspace),
            training: moons.data.train, batchSize: Moons.batchSize, rng: RandomStream(seed: 12)
        ) { _ in [] }
        var handStream = RunState(rng: rng)
        var handState = try adam.start(byHand, from: [Float](repeating: 0, count: subspace.dimension), run: &handStream)
        for _ in 0..<7 {
            let report = try wrapper.step(&state, moons.problem, run: &wrapperStream)
            let expected = try adam.step(&handState, byHand, run: &handStream)
            #expect(report.loss == expected.loss)
            #expect(report.part == "subspace")
        }
        let weights = wrapper.incumbent(state)
        #expect(bits(weights) == bits(subspace.weights(at: adam.incumbent(handState))))
        #expect(weights != start)

        // W₁ − W₁⁰ = u·Zᵀ has rank one: every 2×2 minor of the 2×16 difference vanishes.
        let units = 16
        let delta = (0..<(2 * units)).map { weights[$0] - start[$0] }
        for j in 1..<units {
            let minor = delta[0] * delta[units + j] - delta[j] * delta[units]
            #expect(abs(minor) <= 1e-6 * max(1, abs(delta[0] * delta[units + j])), "column \(j)")
        }
    }

    /// Population members are draws of the network's initializer projected into the subspace:
    /// least squares for W₁ (Z = uᵀ·ΔW₁/‖u‖² with one direction), every other weight's offset
    /// from the origin kept exactly.
    @Test func populationMembersAreInitializerDrawsProjectedIntoTheSubspace() throws {
        let moons = try Moons()
        let wrapper = try PrincipalSubspace(AskTellOptimizer(try GeneticAlgorithm(populationSize: 6)), components: 1, whitening: 1)
        var rng = RunState(rng: RandomStream(seed: 4))
        let start = moons.problem.sampleWeights(&rng.rng)
        let state = try wrapper.start(moons.problem, from: start, run: &rng)
        let view = try #require(state.view)
        var draw = RandomStream(seed: 9)
        let z = view.problem.sampleWeights(&draw)
        var again = RandomStream(seed: 9)
        let full = moons.problem.sampleWeights(&again)
        #expect(z.count == state.subspace.dimension)
        let u = state.subspace.basis
        let norm = u[0] * u[0] + u[1] * u[1]
        for j in 0..<16 {
            let projected = (u[0] * (full[j] - start[j]) + u[1] * (full[16 + j] - start[16 + j])) / norm
            #expect(abs(z[j] - projected) <= 1e-5 * max(1, abs(projected)), "Z entry \(j)")
        }
        for i in 32..<full.count { #expect(z[16 + i - 32] == full[i] - start[i], "weight \(i)") }
    }

    /// Handwritten digits (8×8 images, 64 inputs): OpenAI-ES on 16 principal directions
    /// (16·32 + 362 = 874 coordinates instead of 2,410) within 4,000 evaluations on 500 of the
    /// 1,437 training images (0.92 measured).
    @Test func trainsDigitsWithAnEvolutionStrategy() throws {
        let data = try Dataset.digits()
        let network = try Network.perceptron(inputs: 64, hidden: [32], outputs: 10)
        let problem = try Problem(
            objective: NetworkObjective(network: network), training: data.train, fitnessSamples: .fixed(size: 500)
        ) { rng in network.initialWeights(.heNormal, rng: &rng) }
        let specification = #"{"optimizer": "principal-subspace", "components": 16, "whitening": 1, "inner": {"optimizer": "openai-es", "populationSize": 20}}"#
        let configuration = RunConfiguration(stopping: [.costUnits(4_000 * 500)], test: data.test, seed: 2)
        let result = try Trainer(try optimizer(specification), on: problem, configuration: configuration).run()
        let accuracy = try #require(result.test?.accuracy)
        #expect(accuracy >= 0.85, "test accuracy \(accuracy)")
    }

    @Test func needsANetwork() throws {
        let wrapper = try PrincipalSubspace(try Adam(), components: 1)
        var rng = RunState(rng: RandomStream(seed: 1))
        #expect(throws: WeightLabError.self) {
            _ = try wrapper.start(try Problem(function: AnalyticFunction(.sphere, dimension: 3)), from: [1, 2, 3], run: &rng)
        }
    }
}
