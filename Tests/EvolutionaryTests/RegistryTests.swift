import Testing
import WeightLabCore
@testable import WeightLabEvolutionary

@Suite struct RegistryTests {
    @Test func everyMethodIsRegisteredInTheFamily() {
        let names = ["ga", "pso", "sa", "gsl-siman", "cma-es", "sep-cma-es", "de", "openai-es", "pgpe", "snes"]
        let registry = registry()
        #expect(Set(registry.names) == Set(names))
        #expect(registry.all.allSatisfy { $0.family == "evolutionary" && !$0.summary.isEmpty })
        for name in names { #expect(throws: Never.self) { _ = try registry.make(OptimizerSpec(name: name)) } }
    }

    @Test func parametersReachTheMethods() throws {
        let ga = try #require(try optimizer("ga", #""populationSize": 12, "crossover": "blx", "blendAlpha": 0.3, "selection": "rank", "selectionPressure": 1.8, "mutationRate": 0.05, "sigma": 0.2, "selfAdaptive": true, "elitism": 3"#) as? AskTellOptimizer<GeneticAlgorithm>)
        #expect(ga.strategy.populationSize == 12)
        #expect(ga.strategy.crossover == .blend(alpha: 0.3))
        #expect(ga.strategy.selection == .rank(pressure: 1.8))
        #expect(ga.strategy.mutation == (try GaussianMutation(rate: 0.05, sigma: 0.2, selfAdaptive: true)))
        #expect(ga.strategy.elitism == 3)

        let pso = try #require(try optimizer("pso", #""constriction": true, "topology": "ring", "velocityClamp": 0.5"#) as? AskTellOptimizer<ParticleSwarm>)
        #expect(pso.strategy.cognitive == 2.05 && pso.strategy.social == 2.05)
        #expect(pso.strategy.topology == .ring && pso.strategy.velocityClamp == 0.5)

        let es = try #require(try optimizer("openai-es", #""update": "clipup", "learningRate": 0.2"#) as? AskTellOptimizer<OpenAIES>)
        #expect(es.strategy.update == .clipUp(learningRate: 0.2, try ClipUpRule(maxSpeed: 0.4, momentum: 0.9)))

        let sa = try #require(try optimizer("sa", #""schedule": "linear", "coolingMoves": 500, "temperature": 2"#) as? SimulatedAnnealing)
        #expect(sa.schedule == .linear(moves: 500))
        #expect(sa.temperature == 2)

        let de = try #require(try optimizer("de", #""variant": "best/1/bin""#) as? AskTellOptimizer<DifferentialEvolution>)
        #expect(de.strategy.variant == .best1)
    }

    @Test func badSpecificationsThrowNamingTheField() {
        let bad: [(String, String, String)] = [
            ("ga", #""populaton": 10"#, "populaton"),
            ("ga", #""populationSize": 10, "elitism": 10"#, "elitism"),
            ("ga", #""crossover": "arithmetic""#, "crossover"),
            ("ga", #""selection": "rank", "tournamentSize": 4"#, "tournamentSize"),
            ("pso", #""constriction": true, "cognitive": 1, "social": 1"#, "cognitive + social"),
            ("openai-es", #""populationSize": 7"#, "populationSize"),
            ("pgpe", #""sigma": -1"#, "sigma"),
            ("sa", #""moveFraction": 0"#, "moveFraction"),
            ("sa", #""schedule": "exponential", "coolingRate": 1"#, "coolingRate"),
            ("gsl-siman", #""temperature": 0.001, "minimumTemperature": 0.01"#, "minimumTemperature"),
            ("de", #""populationSize": 3"#, "populationSize"),
            ("snes", #""evaluateCenter": "yes""#, "evaluateCenter"),
        ]
        for (name, parameters, field) in bad {
            do {
                _ = try optimizer(name, parameters)
                Issue.record("\(name) {\(parameters)} was accepted")
            } catch let error as WeightLabError {
                #expect(error.message.contains(field), "\(error.message)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func fullCMAESRefusesNetworkSizedProblems() throws {
        let network = try Network.perceptron(inputs: 100, hidden: [30], outputs: 2)
        let problem = try Problem(objective: NetworkObjective(network: network)) { rng in network.initialWeights(.heNormal, rng: &rng) }
        var rng = RunState(rng: RandomStream(seed: 1))
        let start = problem.sampleWeights(&rng.rng)
        #expect(throws: WeightLabError.self) { try AskTellOptimizer(try CMAES()).start(problem, from: start, run: &rng) }
        #expect(throws: WeightLabError.self) { try AskTellOptimizer(try GeneticAlgorithm()).start(problem, from: [1, 2], run: &rng) }
    }
}
