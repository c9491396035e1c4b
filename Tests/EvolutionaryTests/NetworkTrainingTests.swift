import Testing
import WeightLabCore
@testable import WeightLabEvolutionary

/// A method with the parameters it trains small networks with.
struct NetworkCase: CustomTestStringConvertible, Sendable {
    let name: String
    let parameters: String
    var testDescription: String { parameters.isEmpty ? name : "\(name) {\(parameters)}" }
}

/// Every method trains small tanh networks from Xavier-initialized weights, with fitness the
/// mean cross-entropy on the whole training set:
/// - XOR (4 points), a 2-4-2 network (22 weights), budget 2,000 evaluations (8,000 ledger
///   units): 100% accuracy;
/// - two moons (200 points, noise 0.1), a 2-8-2 network (42 weights), budget 4,000 evaluations
///   (800,000 ledger units): at least 95% training accuracy.
/// The parameters are the ones a user would pick for a 20–50-weight problem: larger σ than
/// the network-scaled defaults, smaller populations.
@Suite struct NetworkTrainingTests {
    static let cases: [NetworkCase] = [
        NetworkCase(name: "ga", parameters: #""populationSize": 30, "elitism": 2, "mutationRate": 0.3, "sigma": 0.3"#),
        NetworkCase(name: "pso", parameters: #""populationSize": 20"#),
        NetworkCase(name: "de", parameters: #""populationSize": 20, "variant": "current-to-best/1/bin", "differentialWeight": 0.7"#),
        NetworkCase(name: "cma-es", parameters: #""sigma": 1"#),
        NetworkCase(name: "sep-cma-es", parameters: #""sigma": 1"#),
        NetworkCase(name: "openai-es", parameters: #""populationSize": 20, "sigma": 0.2, "learningRate": 0.1"#),
        NetworkCase(name: "pgpe", parameters: #""populationSize": 20, "sigma": 0.5, "learningRate": 0.5"#),
        NetworkCase(name: "snes", parameters: #""sigma": 0.5"#),
        NetworkCase(name: "sa", parameters: #""stepSize": 0.3, "moveFraction": 0.3"#),
        NetworkCase(name: "gsl-siman", parameters: #""stepSize": 0.3, "temperature": 0.1, "coolingFactor": 1.05, "minimumTemperature": 0.0001"#),
    ]

    @Test(arguments: cases)
    func xorToFullAccuracy(_ c: NetworkCase) throws {
        let problem = try TestProblems.network(TestProblems.xor(), hidden: [4])
        let result = try minimize(try optimizer(c.name, c.parameters), on: problem, budget: 4 * 2_000, seed: 1)
        #expect(try TestProblems.accuracy(result.incumbent, problem) == 1)
    }

    @Test(arguments: cases)
    func twoMoonsToNinetyFivePercent(_ c: NetworkCase) throws {
        let problem = try TestProblems.network(TestProblems.twoMoons(count: 200, noise: 0.1, seed: 7), hidden: [8])
        let result = try minimize(try optimizer(c.name, c.parameters), on: problem, budget: 200 * 4_000, seed: 1)
        let accuracy = try TestProblems.accuracy(result.incumbent, problem)
        #expect(accuracy >= 0.95, "\(c.name): \(accuracy)")
    }

    @Test func incumbentIsTheBestSoFarAndNeverADivergedIndividual() throws {
        // The start (row 0 of the first generation) and every point with w₀ < 0 price as NaN.
        let objective = FunctionObjective(dimension: 2) { w in w[0] < 0 ? .nan : w[0] * w[0] + w[1] * w[1] }
        let problem = try Problem(objective: objective) { rng in [rng.uniform(-1, 1), rng.uniform(-1, 1)] }
        let ga = AskTellOptimizer(try GeneticAlgorithm(populationSize: 8))
        var rng = RunState(rng: RandomStream(seed: 5))
        var state = try ga.start(problem, from: [-1, 0], run: &rng)
        var previous = Float.infinity
        for _ in 0..<10 {
            let report = try ga.step(&state, problem, run: &rng)
            #expect(report.loss.isFinite)
            #expect(report.loss <= previous)
            previous = report.loss
            #expect(ga.incumbent(state)[0] >= 0)
            #expect(try objective.loss(at: ga.incumbent(state), on: .empty) == report.loss)
        }
    }
}

extension NetworkTrainingTests {
    static func resampledMoons() throws -> Problem {
        let samples = TestProblems.twoMoons(count: 200, noise: 0.1, seed: 7)
        let network = try Network.perceptron(inputs: 2, hidden: [8], outputs: 2, activation: .tanh)
        return try Problem(objective: NetworkObjective(network: network), training: samples, fitnessSamples: .resampled(size: 20)) { rng in
            network.initialWeights(.xavierUniform, rng: &rng)
        }
    }

    @Test func underResampledFitnessTheIncumbentIsTheLatestGenerationsBest() throws {
        let problem = try Self.resampledMoons()
        let es = AskTellOptimizer(try SNES(sigma: 0.5, evaluateCenter: false))
        var rng = RunState(rng: RandomStream(seed: 8))
        var state = try es.start(problem, from: problem.sampleWeights(&rng.rng), run: &rng)
        var rose = false
        var previous = Float.infinity
        for _ in 0..<30 {
            let report = try es.step(&state, problem, run: &rng)
            #expect(report.loss == state.fitness.min())
            rose = rose || report.loss > previous
            previous = report.loss
        }
        #expect(rose, "losses on different subsets are not monotone; a best-so-far rule would hide that")
    }

    @Test func underResampledFitnessAPricedCenterIsTheIncumbent() throws {
        let problem = try Self.resampledMoons()
        let es = AskTellOptimizer(try SNES(sigma: 0.5))
        var rng = RunState(rng: RandomStream(seed: 8))
        var state = try es.start(problem, from: problem.sampleWeights(&rng.rng), run: &rng)
        var centerWasNotTheLeader = false
        for _ in 0..<30 {
            let center = state.strategy.center
            let report = try es.step(&state, problem, run: &rng)
            let lastRow = state.fitness.count - 1
            #expect(es.incumbent(state) == center)
            #expect(report.loss == state.fitness[lastRow])
            centerWasNotTheLeader = centerWasNotTheLeader || state.fitness[lastRow] > state.fitness.min()!
        }
        #expect(centerWasNotTheLeader, "the rule must differ from taking the generation's best")
    }
}
