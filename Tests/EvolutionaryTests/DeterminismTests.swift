import Foundation
import Testing
import WeightLabCore
@testable import WeightLabEvolutionary

/// Every method with parameters that make its operators large enough to run in parallel
/// (population × weights ≥ `IndividualLoop.parallelThreshold`) on `DeterminismTests.problem`.
let reproducibilityCases: [NetworkCase] = [
    NetworkCase(name: "ga", parameters: #""populationSize": 30"#),
    NetworkCase(name: "ga", parameters: #""populationSize": 30, "selection": "roulette", "crossover": "blx", "selfAdaptive": true"#),
    NetworkCase(name: "pso", parameters: #""populationSize": 30, "topology": "ring", "velocityClamp": 0.1"#),
    NetworkCase(name: "de", parameters: #""populationSize": 30"#),
    NetworkCase(name: "sep-cma-es", parameters: #""populationSize": 30"#),
    NetworkCase(name: "openai-es", parameters: #""populationSize": 30"#),
    NetworkCase(name: "pgpe", parameters: #""populationSize": 30"#),
    NetworkCase(name: "snes", parameters: #""populationSize": 30"#),
    NetworkCase(name: "sa", parameters: #""movesPerStep": 20"#),
    NetworkCase(name: "sa", parameters: #""movesPerStep": 20, "moveFraction": 0.05, "move": "cauchy", "targetAcceptance": 0.3, "adaptationInterval": 10, "reheatAfter": 15"#),
    NetworkCase(name: "gsl-siman", parameters: #""iterationsPerTemperature": 10, "temperaturesPerStep": 2"#),
]

/// A 16-64-4 network (1,348 weights) on 64 random samples.
func reproducibilityProblem() throws -> Problem {
    var rng = RunState(rng: RandomStream(seed: 99))
    let features = (0..<(64 * 16)).map { _ in rng.rng.normal() }
    let labels = (0..<64).map { _ in Int32(rng.rng.index(below: 4)) }
    return try TestProblems.network(Samples(features: features, featureCount: 16, labels: labels), hidden: [64], classes: 4)
}

/// The losses of `steps` steps and the final incumbent, from seed 7.
func trace(_ optimizer: some WeightOptimizer, on problem: Problem, steps: Int) throws -> ([Float], [Float]) {
    var rng = RunState(rng: RandomStream(seed: 7))
    var state = try optimizer.start(problem, from: problem.sampleWeights(&rng.rng), run: &rng)
    var losses: [Float] = []
    for _ in 0..<steps { losses.append(try optimizer.step(&state, problem, run: &rng).loss) }
    return (losses, optimizer.incumbent(state))
}

/// The same run interrupted after `split` steps: its state goes through JSON and back.
func resumedTrace<O: WeightOptimizer>(_ optimizer: O, on problem: Problem, steps: Int, split: Int) throws -> ([Float], [Float]) {
    var rng = RunState(rng: RandomStream(seed: 7))
    var state = try optimizer.start(problem, from: problem.sampleWeights(&rng.rng), run: &rng)
    var losses: [Float] = []
    for _ in 0..<split { losses.append(try optimizer.step(&state, problem, run: &rng).loss) }
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    var restored = try decoder.decode(O.State.self, from: try encoder.encode(state))
    for _ in split..<steps { losses.append(try optimizer.step(&restored, problem, run: &rng).loss) }
    return (losses, optimizer.incumbent(restored))
}

/// Same seed, same trace: with one worker thread and with two (operators and population
/// evaluation follow the test's own count, `Parallelism.withThreadCount`), and across a checkpoint.
@Suite struct DeterminismTests {
    @Test(arguments: reproducibilityCases)
    func sameTraceWithOneAndTwoThreads(_ c: NetworkCase) throws {
        let one = try Parallelism.withThreadCount(1) { try trace(try optimizer(c.name, c.parameters), on: try reproducibilityProblem(), steps: 4) }
        let two = try Parallelism.withThreadCount(2) { try trace(try optimizer(c.name, c.parameters), on: try reproducibilityProblem(), steps: 4) }
        let sameLosses = one.0 == two.0
        let sameIncumbent = one.1 == two.1
        #expect(sameLosses)
        #expect(sameIncumbent)
        let finite = one.0.allSatisfy(\.isFinite)
        #expect(finite)
    }

    @Test func fullCMAESTraceIsReproducibleToo() throws {
        let problem = { try TestProblems.network(TestProblems.twoMoons(count: 50, noise: 0.1, seed: 3), hidden: [8]) }
        let one = try Parallelism.withThreadCount(1) { try trace(try optimizer("cma-es"), on: try problem(), steps: 5) }
        let two = try Parallelism.withThreadCount(2) { try trace(try optimizer("cma-es"), on: try problem(), steps: 5) }
        let same = one.0 == two.0 && one.1 == two.1
        #expect(same)
    }

    @Test(arguments: reproducibilityCases + [NetworkCase(name: "cma-es", parameters: "")])
    func checkpointedRunContinuesIdentically(_ c: NetworkCase) throws {
        let problem = { try TestProblems.network(TestProblems.twoMoons(count: 50, noise: 0.1, seed: 3), hidden: [8]) }
        let whole = try trace(try optimizer(c.name, c.parameters), on: try problem(), steps: 6)
        let resumed = try resumedTrace(try optimizer(c.name, c.parameters), on: try problem(), steps: 6, split: 3)
        let sameLosses = whole.0 == resumed.0
        let sameIncumbent = whole.1 == resumed.1
        #expect(sameLosses)
        #expect(sameIncumbent)
    }
}
