import Foundation
import Testing
import WeightLabCore
@testable import WeightLabExperiments

/// A gradient-descent step on whatever objective the problem holds: enough to test the
/// experiment machinery without depending on an optimizer family.
struct PlainDescent: WeightOptimizer {
    struct State: Codable, Sendable {
        var weights: [Float]
        var gradient: [Float]
    }

    let name = "plain-descent"
    let learningRate: Float

    func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        State(weights: initial, gradient: [Float](repeating: 0, count: initial.count))
    }

    func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        let loss = try problem.objective.lossAndGradient(at: state.weights, on: run.nextBatch(of: problem), into: &state.gradient, rng: &run.rng)
        for i in state.weights.indices { state.weights[i] -= learningRate * state.gradient[i] }
        return StepReport(loss: loss, learningRate: learningRate)
    }

    func incumbent(_ state: State) -> [Float] { state.weights }
}

/// A registry holding `plain-descent` (learningRate in (0, 10], default 0.1).
func testRegistry() -> OptimizerRegistry {
    var registry = OptimizerRegistry()
    registry.register("plain-descent", family: "test", summary: "w ← w − η∇L") { parameters, _ in
        PlainDescent(learningRate: try parameters.value(Parameter("learningRate", default: Float(0.1), .within(1e-6...10), "the step")))
    }
    return registry
}

/// Expects `body` to throw a `WeightLabError` whose message starts with `prefix`.
func expectError(startingWith prefix: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("no error; expected one starting with \(prefix)", sourceLocation: sourceLocation)
    } catch let error as WeightLabError {
        #expect(error.message.hasPrefix(prefix), "\(error.message)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("not a WeightLabError: \(error)", sourceLocation: sourceLocation)
    }
}

/// Parses YAML text as the file `x.yaml`.
func spec(_ yaml: String, quick: Bool = false) throws -> ExperimentSpec {
    try ExperimentSpec(SpecDocument.parse(yaml, file: "x.yaml", format: .yaml), quick: quick)
}

/// A fresh directory under the temporary directory, removed by the caller.
func temporaryDirectory(_ label: String = #function) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("weightlab-experiments-tests")
        .appendingPathComponent("\(label.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A stand-in for training: each (variant, seed) gets a fixed, made-up trace and result, so
/// runner tests are instant and exactly repeatable. Variants whose name contains "boom"
/// diverge; those containing "fail" throw while `failing` is set. Counts its runs.
final class ScriptedExecutor: TrialExecutor, @unchecked Sendable {
    private let lock = NSLock()
    private var _runs: [String] = []
    var failing = true

    var runs: [String] { lock.withLock { _runs } }

    func run(_ trial: Trial, progress: @escaping @Sendable (Double) -> Void) throws -> TrialRecord {
        lock.withLock { _runs.append("\(trial.variant.name)#\(trial.seed)") }
        if trial.variant.name.contains("fail") && lock.withLock({ failing }) {
            throw WeightLabError(.numerical, "scripted failure")
        }
        let base = Double(trial.variant.name.unicodeScalars.reduce(0) { $0 + Int($1.value) } % 7) / 20
        let seed = Double(trial.seed)
        let diverges = trial.variant.name.contains("boom")
        var points: [TraceRow] = []
        for k in 0...4 {
            let step = Double(k)
            let loss: Double = diverges && k == 4 ? .infinity : 2 / (step + 1) + seed / 50
            let accuracy: Double = 0.3 + base + 0.1 * step + seed / 100
            points.append(TraceRow(
                step: k * 10, epoch: step / 2, costUnits: k * 300, wallSeconds: step * 0.25 + seed / 100,
                trainingLoss: loss, validationLoss: 2.5 / (step + 1), validationAccuracy: accuracy,
                learningRate: 0.1, part: k % 2 == 0 ? "ga" : "adam, fast"))
        }
        progress(1)
        return TrialRecord(
            variant: trial.variant.name, seed: trial.seed, fingerprint: trial.variant.fingerprint,
            outcome: diverges ? .diverged : .completed, stopReason: diverges ? "diverged at step 40" : "cost-units",
            points: points,
            final: FinalMeasurements(
                testAccuracy: 0.6 + base + seed / 100, testLoss: 1 - base, validationAccuracy: 0.7 + base, validationLoss: 0.9,
                trainingAccuracy: 0.65 + base + seed / 50, trainingLoss: 0.8, costUnits: 1200, wallSeconds: 1 + seed / 10,
                steps: 40, epochs: 2))
    }
}
