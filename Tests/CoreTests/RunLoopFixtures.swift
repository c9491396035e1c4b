import Foundation
import WeightLabCore
import WeightLabTestSupport

// Test-only optimizers and problems for the run-loop and checkpoint tests.

/// Heavy-ball SGD in PyTorch's form: v ← μ·v + g, w ← w − η·v, one `RunState.nextBatch(of:)` per step.
/// The velocity makes the state matter for resuming; reports `finished` after `finishesAfter` steps.
struct MomentumSGD: WeightOptimizer {
    var learningRate: Float
    var momentum: Float = 0
    var finishesAfter: Int?

    var name: String { "test-momentum-sgd" }

    struct State: Codable, Sendable {
        @PackedFloats var weights: [Float]
        var velocity: [Float]
        var steps: Int
    }

    func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        State(weights: initial, velocity: [Float](repeating: 0, count: initial.count), steps: 0)
    }

    func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        var gradient: [Float] = []
        let loss = try problem.objective.lossAndGradient(at: state.weights, on: run.nextBatch(of: problem), into: &gradient, rng: &run.rng)
        for i in state.weights.indices {
            state.velocity[i] = momentum * state.velocity[i] + gradient[i]
            state.weights[i] -= learningRate * state.velocity[i]
        }
        state.steps += 1
        let finished = finishesAfter.flatMap { state.steps >= $0 ? "converged" : nil }
        return StepReport(loss: loss, learningRate: learningRate, finished: finished)
    }

    func incumbent(_ state: State) -> [Float] { state.weights }
}

/// A gradient-free (1+1) random search: each step prices one Gaussian perturbation of the
/// incumbent on the full batch (a forward pass: n units) and keeps it when it is better.
struct RandomSearch: WeightOptimizer {
    var spread: Float = 0.1
    var name: String { "test-random-search" }

    struct State: Codable, Sendable {
        var weights: [Float]
        var loss: Float
    }

    func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        State(weights: initial, loss: try problem.objective.loss(at: initial, on: problem.fullBatch))
    }

    func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        let candidate = state.weights.map { $0 + spread * run.rng.normal() }
        let loss = try problem.objective.loss(at: candidate, on: problem.fullBatch)
        if loss < state.loss { state = State(weights: candidate, loss: loss) }
        return StepReport(loss: state.loss)
    }

    func incumbent(_ state: State) -> [Float] { state.weights }
}

/// A sequential hybrid over type-erased parts: each part runs `stint` steps, then hands its
/// incumbent to the next, which starts from it. Its state holds the running part's erased state.
struct Relay: CombiningOptimizer {
    var parts: [AnyWeightOptimizer]
    var stint: Int

    var name: String { "test-relay" }

    struct State: Codable, Sendable {
        var part: Int
        var stepsInStint: Int
        var current: AnyWeightOptimizer.State
    }

    func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        State(part: 0, stepsInStint: 0, current: try parts[0].start(problem, from: initial, run: &run))
    }

    func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        if state.stepsInStint == stint {
            let weights = parts[state.part].incumbent(state.current)
            state.part = (state.part + 1) % parts.count
            state.current = try parts[state.part].start(problem, from: weights, run: &run)
            state.stepsInStint = 0
        }
        var report = try parts[state.part].step(&state.current, problem, run: &run)
        state.stepsInStint += 1
        report.part = "\(state.part):\(parts[state.part].name)"
        return report
    }

    func incumbent(_ state: State) -> [Float] { parts[state.part].incumbent(state.current) }
}

/// Wraps `MomentumSGD`; its state refuses to be encoded after step `failAfter`, to make a
/// checkpoint save fail part-way through a run.
struct EncodingFails: WeightOptimizer {
    var base: MomentumSGD
    var failAfter: Int

    var name: String { "test-encoding-fails" }

    struct Refused: Error {}

    struct State: Codable, Sendable {
        var inner: MomentumSGD.State
        var failAfter: Int

        func encode(to encoder: any Encoder) throws {
            guard inner.steps <= failAfter else { throw Refused() }
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(inner, forKey: .inner)
            try c.encode(failAfter, forKey: .failAfter)
        }
    }

    func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        State(inner: try base.start(problem, from: initial, run: &run), failAfter: failAfter)
    }

    func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        try base.step(&state.inner, problem, run: &run)
    }

    func incumbent(_ state: State) -> [Float] { state.inner.weights }
}

/// Three Gaussian blobs in the plane, `perClass` samples each, drawn from `seed`.
func blobs(perClass: Int, seed: UInt64) -> Samples {
    var rng = RandomStream(seed: seed)
    let centers: [(Float, Float)] = [(-2, 0), (2, 0), (0, 2.5)]
    var features: [Float] = []
    var labels: [Int32] = []
    for _ in 0..<perClass {
        for (label, center) in centers.enumerated() {
            features += [center.0 + rng.normal(), center.1 + rng.normal()]
            labels.append(Int32(label))
        }
    }
    return Samples(features: features, featureCount: 2, labels: labels)
}

/// A fresh classification problem: a 2-8-3 perceptron with batch norm and dropout on 3 × 10
/// blobs, mini-batches of `batchSize`. Built the same way every call, as a resumed run needs.
func blobProblem(batchSize: Int = 8, dropout: Float = 0.25, batchNorm: Bool = true) throws -> Problem {
    let network = try Network.perceptron(inputs: 2, hidden: [8], outputs: 3, dropout: dropout, batchNorm: batchNorm)
    let objective = NetworkObjective(network: network)
    return try Problem(objective: objective, training: blobs(perClass: 10, seed: 7), batchSize: batchSize, rng: RandomStream(seed: 11)) { rng in
        network.initialWeights(.heNormal, rng: &rng)
    }
}

/// A problem over the sphere f(w) = Σ wᵢ² in `dimension` variables.
func sphereProblem(dimension: Int = 2) throws -> Problem {
    try Problem(function: AnalyticFunction(.sphere, dimension: dimension))
}

/// A fresh scratch directory, removed by the caller.
func scratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("weightlab-runloop-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

