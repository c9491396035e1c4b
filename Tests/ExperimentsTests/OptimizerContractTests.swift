import Foundation
import Testing
import WeightLab
import WeightLabTestSupport

/// The contract every optimizer of `OptimizerRegistry.standard` keeps, checked over the
/// registry itself (Optax's alias_test): an optimizer added later is checked without touching
/// this file. Each is built from its declarations alone: the declared `example` of parameters
/// without a fitting default (a combiner's parts), and populations of 6.
@Suite(.serialized) struct OptimizerContractTests {
    static let names = OptimizerRegistry.standard.names

    /// The specification of `name` a small run uses.
    static func specification(_ name: String) throws -> OptimizerSpec {
        let entry = try #require(OptimizerRegistry.standard.entry(name))
        var fields: [String: SpecValue] = [:]
        for parameter in entry.parameters {
            if let example = parameter.example {
                fields[parameter.name] = SpecValue(parsing: example)
            } else if parameter.name == "populationSize" {
                fields[parameter.name] = .number(6)
            }
        }
        return OptimizerSpec(name: name, parameters: fields, path: "contract")
    }

    static func optimizer(_ name: String) throws -> AnyWeightOptimizer {
        AnyWeightOptimizer(try OptimizerRegistry.standard.make(specification(name)))
    }

    /// Two moons, 48 training points, a 2-4-2 tanh perceptron; mini-batches of 8, generations
    /// priced on a fixed 16.
    static func problem() throws -> Problem {
        let data = try Dataset.synthetic(.twoMoons(noise: 0.1), trainCount: 48, testCount: 16, rng: RandomStream(seed: 4))
        let network = try Network.perceptron(inputs: 2, hidden: [4], outputs: 2, activation: .tanh)
        return try Problem(
            objective: NetworkObjective(network: network), training: data.train, batchSize: 8, fitnessSamples: .fixed(size: 16),
            rng: RandomStream(seed: 5)) { rng in network.initialWeights(.xavierUniform, rng: &rng) }
    }

    static func run(_ name: String, steps: Int, checkpoint: CheckpointPolicy? = nil, resume: URL? = nil) throws -> RunResult {
        let trainer = try Trainer(
            optimizer(name), on: problem(),
            configuration: RunConfiguration(stopping: [.steps(steps)], recording: .everyStep, checkpoint: checkpoint, seed: 9))
        return try resume.map { try trainer.resume(from: $0) } ?? trainer.run()
    }

    @Test(arguments: names)
    func theTraceDoesNotDependOnTheThreadCount(_ name: String) throws {
        let one = try Parallelism.withThreadCount(1) { try Self.run(name, steps: 6) }
        let two = try Parallelism.withThreadCount(2) { try Self.run(name, steps: 6) }
        #expect(timeless(one.trace) == timeless(two.trace))
        #expect(one.weights.map(\.bitPattern) == two.weights.map(\.bitPattern))
    }

    /// Resumed halfway, a run records the trace of one that never stopped; an optimizer that
    /// declares it does not resume exactly (`resumesExactly`, GSL's line searches) keeps the
    /// rows before the checkpoint and runs to the end.
    @Test(arguments: names)
    func aRunResumedHalfwayRecordsTheSameTrace(_ name: String) throws {
        let straight = try Self.run(name, steps: 8)
        let file = temporaryFile("contract.json")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try Self.run(name, steps: 4, checkpoint: CheckpointPolicy(url: file, everySteps: 100))
        let resumed = try Self.run(name, steps: 8, resume: file)
        guard try Self.optimizer(name).resumesExactly else {
            #expect(Array(timeless(resumed.trace).prefix(4)) == Array(timeless(straight.trace).prefix(4)))
            #expect(resumed.steps == straight.steps || resumed.status != .completed(.steps))
            return
        }
        #expect(timeless(resumed.trace) == timeless(straight.trace))
        #expect(resumed.weights.map(\.bitPattern) == straight.weights.map(\.bitPattern))
    }

    @Test(arguments: names)
    func theLedgerIsChargedForEveryStep(_ name: String) throws {
        let result = try Self.run(name, steps: 4)
        #expect(result.costUnits > 0)
        let costs = result.trace.rows.map(\.costUnits)
        #expect(costs == costs.sorted() && costs.last == result.costUnits)
    }

    @Test(arguments: names)
    func unknownAndInvalidParametersAreRejectedNamingTheField(_ name: String) throws {
        let valid = try Self.specification(name)
        var unknown = valid
        unknown.parameters["noSuchParameter"] = .number(1)
        #expect(Self.message { _ = try OptimizerRegistry.standard.make(unknown) }?.contains("noSuchParameter") == true)
        let entry = try #require(OptimizerRegistry.standard.entry(name))
        for parameter in entry.parameters {
            var invalid = valid
            invalid.parameters[parameter.name] = .string("¿")
            let message = Self.message { _ = try OptimizerRegistry.standard.make(invalid) }
            #expect(message?.contains(parameter.name) == true, "\(name).\(parameter.name) = ¿: \(message ?? "accepted")")
        }
    }

    /// An objective that is not finite anywhere ends every run as diverged (or, for an
    /// optimizer that needs a network, is refused at the start).
    @Test(arguments: names)
    func aNonFiniteLossEndsTheRunAsDiverged(_ name: String) throws {
        let problem = try Problem(objective: NotFinite(dimension: 4)) { rng in (0..<4).map { _ in rng.uniform(-1, 1) } }
        let trainer = try Trainer(try Self.optimizer(name), on: problem, configuration: RunConfiguration(stopping: [.steps(20)]))
        do {
            let result = try trainer.run()
            guard case .diverged = result.status else {
                Issue.record("\(name) ended \(result.status) on a non-finite objective")
                return
            }
            let finite = result.weights.allSatisfy { $0.isFinite }
            #expect(finite, "\(name) handed over non-finite weights")
        } catch let error as WeightLabError {
            #expect(error.kind == .unsupported, "\(name): \(error)")
        }
    }

    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return (error as? WeightLabError)?.message ?? "\(error)"
        }
    }
}

/// NaN everywhere, gradient included; charged like an analytic function.
final class NotFinite: Objective {
    let dimension: Int
    let ledger = CostLedger()
    var providesGradient: Bool { true }

    init(dimension: Int) {
        self.dimension = dimension
    }

    func loss(at weights: [Float], on batch: Samples) throws -> Float {
        ledger.charge(1)
        return .nan
    }

    func lossAndGradient(at weights: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float {
        ledger.charge(3)
        gradient = [Float](repeating: .nan, count: dimension)
        return .nan
    }
}
