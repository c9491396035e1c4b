import Testing
import WeightLabCore
@testable import WeightLabEvolutionary

/// On a network without a given σ, SNES, sep-CMA-ES, the GA, the swarm and annealing take
/// their steps in units of each weight's initializer scale; a given σ stays absolute.
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

    @Test func gaMutatesEachWeightAtAShareOfItsScale() throws {
        let (problem, scales) = try Self.networkProblem()
        var rng = RandomStream(seed: 1)
        let start = problem.sampleWeights(&rng)
        let ga = try GeneticAlgorithm(followed: ["sigma", "mutationRate", "crossover"])
        let state = try ga.initialState(problem, from: start, rng: &rng)
        #expect(state.geneScales == scales)
        #expect(state.sigmas.allSatisfy { $0 == GeneticAlgorithm.Parameters.layerShare })
        let (crossover, mutation) = ga.operators(onNetwork: true)
        #expect(crossover == .uniform && mutation.rate == 1)
        let (given, _) = try GeneticAlgorithm(crossover: .twoPoint, followed: ["sigma", "mutationRate"]).operators(onNetwork: true)
        #expect(given == .twoPoint)
        #expect(ga.operators(onNetwork: false).0 == .onePoint && ga.operators(onNetwork: false).1.rate == 0.1)
        let absolute = try GeneticAlgorithm(mutation: GaussianMutation(rate: 0.1, sigma: 0.02)).initialState(problem, from: start, rng: &rng)
        #expect(absolute.geneScales == nil && absolute.sigmas.allSatisfy { $0 == 0.02 })
    }

    /// Each of the three paths (every gene, a trial per gene, skipping) multiplies gene i's
    /// noise by scales[i]: genes of scale 0 never move, those of scale 2 spread 4× those of 0.5.
    @Test(arguments: [Float(1), 0.3, 0.02])
    func scaledMutationFollowsEachGenesScale(rate: Float) throws {
        let n = 300_000
        let scales = (0..<n).map { [Float(0), 0.5, 2][$0 % 3] }
        var genes = [Float](repeating: 0, count: n)
        var rng = RandomStream(seed: 7)
        let mutation = try GaussianMutation(rate: rate, sigma: 0.1)
        scales.withUnsafeBufferPointer { s in
            genes.withUnsafeMutableBufferPointer { mutation.mutate($0.baseAddress!, count: n, sigma: 0.1, scales: s.baseAddress, rng: &rng) }
        }
        func spread(_ group: Int) -> Double {
            let moved = stride(from: group, to: n, by: 3).map { Double(genes[$0]) }.filter { $0 != 0 }
            return (moved.reduce(0) { $0 + $1 * $1 } / Double(moved.count)).squareRoot()
        }
        #expect(stride(from: 0, to: n, by: 3).allSatisfy { genes[$0] == 0 })
        #expect(abs(spread(1) - 0.05) < 0.05 * 0.05 && abs(spread(2) - 0.2) < 0.2 * 0.05)
    }

    @Test func swarmStartsAsACloudAndClampsEachWeightAtAShareOfItsScale() throws {
        let (problem, scales) = try Self.networkProblem()
        var rng = RandomStream(seed: 1)
        let start = problem.sampleWeights(&rng)
        var cloudStream = RandomStream(seed: 2)
        var fullStream = RandomStream(seed: 2)
        let cloud = try ParticleSwarm(populationSize: 6).initialState(problem, from: start, rng: &cloudStream)
        let full = try ParticleSwarm(populationSize: 6, initialSpread: 1).initialState(problem, from: start, rng: &fullStream)
        let d = problem.dimension
        for i in 1..<6 {
            for j in 0..<d {
                let expected = start[j] + ParticleSwarm.Parameters.networkSpread * (full.positions.values[i * d + j] - start[j])
                #expect(abs(cloud.positions.values[i * d + j] - expected) <= 1e-6)
            }
        }
        let limits = scales.map { ParticleSwarm.Parameters.layerShare * $0 }
        #expect(cloud.velocityLimits == limits && cloud.velocityLimit == nil)
        #expect(try ParticleSwarm(velocityClamp: 0.5).initialState(problem, from: start, rng: &rng).velocityLimits == nil)
        // Independent networks pull hard: the clamp holds every velocity at its weight's limit.
        let swarm = try ParticleSwarm(populationSize: 6, initialSpread: 1)
        var state = full
        var population = PopulationMatrix(count: 6, dimension: d)
        swarm.ask(&state, into: &population, rng: &rng)
        swarm.tell(&state, population: &population, fitness: (0..<6).map(Float.init))
        swarm.ask(&state, into: &population, rng: &rng)
        let velocities = state.velocities.values
        #expect(velocities.indices.allSatisfy { abs(velocities[$0]) <= limits[$0 % d] })
        #expect(velocities.indices.contains { abs(velocities[$0]) == limits[$0 % d] })
    }

    @Test func annealingMovesOnePercentOfTheWeightsAtAShareOfTheirScale() throws {
        let (problem, scales) = try Self.networkProblem()
        var rng = RandomStream(seed: 1)
        let start = problem.sampleWeights(&rng)
        var run = RunState(problem, rng: RandomStream(seed: 2))
        let sa = try SimulatedAnnealing(followed: ["moveFraction", "initialAcceptance"])
        let state = try sa.start(problem, from: start, run: &run)
        #expect(state.stepScales == scales && state.stepSize == SimulatedAnnealing.Parameters.layerShare)
        #expect(sa.perturbation(onNetwork: true).fraction == SimulatedAnnealing.Parameters.networkFraction)
        #expect(sa.perturbation(onNetwork: false).fraction == 1)
        let given = try SimulatedAnnealing(perturbation: Perturbation(fraction: 0.5), followed: ["initialAcceptance"])
        #expect(given.perturbation(onNetwork: true).fraction == 0.5)
        let absolute = try SimulatedAnnealing(stepSize: 0.03, followed: ["moveFraction"]).start(problem, from: start, run: &run)
        #expect(absolute.stepScales == nil && absolute.stepSize == 0.03)
    }

    /// A move of every weight and a subset move (2%, drawn with replacement, so repeats are
    /// rare) both scale weight i's noise by scales[i].
    @Test(arguments: [Float(1), 0.02])
    func annealingMovesFollowEachWeightsScale(fraction: Float) throws {
        let n = 300_000
        let scales = (0..<n).map { [Float(0), 0.5, 2][$0 % 3] }
        var weights = [Float](repeating: 0, count: n)
        var undo: [(index: Int, value: Float)] = []
        var rng = RandomStream(seed: 3)
        let move = try Perturbation(fraction: fraction)
        scales.withUnsafeBufferPointer { s in
            weights.withUnsafeMutableBufferPointer { move.apply(to: $0, scale: 0.1, scales: s.baseAddress, undo: &undo, rng: &rng) }
        }
        func spread(_ group: Int) -> Double {
            let moved = stride(from: group, to: n, by: 3).map { Double(weights[$0]) }.filter { $0 != 0 }
            return (moved.reduce(0) { $0 + $1 * $1 } / Double(moved.count)).squareRoot()
        }
        #expect(stride(from: 0, to: n, by: 3).allSatisfy { weights[$0] == 0 })
        #expect(abs(spread(1) - 0.05) < 0.05 * 0.05 && abs(spread(2) - 0.2) < 0.2 * 0.05)
    }
}
