import Foundation
import Testing
import WeightLabCore
@testable import WeightLabGradient

/// The first-order state: a checkpoint resumes the identical trajectory, and a non-finite loss
/// leaves the weights alone.
@Suite struct GradientStateTests {
    /// Ten steps straight equal five steps, a JSON round trip of the state, and five more —
    /// bit for bit, with AMSGrad buffers and a plateau schedule whose memory matters
    /// (patience 0 reduces the rate during the run). The quadratic has its minimum 0 at the
    /// origin, so losses are positive as PyTorch's relative threshold assumes.
    @Test func checkpointResumesTheIdenticalTrajectory() throws {
        let schedule = LearningRateSchedule.warmup(steps: 2, startFactor: 0.5, then: .reduceOnPlateau(ReduceOnPlateau(factor: 0.5, patience: 0, threshold: 0.5, period: 2)))
        let optimizer = try AdamW(learningRate: 0.1, weightDecay: 0.1, amsgrad: true, schedule: schedule)
        let problem = try QuadraticFunction(matrix: FiveSteps.matrix, linear: [0, 0, 0]).problem()
        var rng = RunState(rng: RandomStream(seed: 3))
        var straight = try optimizer.start(problem, from: FiveSteps.start.map(Float.init), run: &rng)
        var split = straight
        for _ in 0..<10 { _ = try optimizer.step(&straight, problem, run: &rng) }
        for _ in 0..<5 { _ = try optimizer.step(&split, problem, run: &rng) }
        let data = try JSONEncoder().encode(split)
        var resumed = try JSONDecoder().decode(GradientState<Adam.Buffers>.self, from: data)
        #expect(resumed.gradient.isEmpty, "the gradient buffer is scratch space, not checkpointed")
        for _ in 0..<5 { _ = try optimizer.step(&resumed, problem, run: &rng) }
        #expect(resumed.weights.map(\.bitPattern) == straight.weights.map(\.bitPattern))
        #expect(resumed.plateau == straight.plateau && resumed.step == 10)
        #expect(straight.plateau.rate != nil, "the plateau schedule reduced the rate during the run")
    }

    /// With a learning rate of 1e6 gradient descent overflows; the step that sees a
    /// non-finite loss reports it and leaves the weights and the step count as they were.
    @Test func nonFiniteLossLeavesTheWeightsAlone() throws {
        let optimizer = try SGD(learningRate: 1e6)
        let problem = try FiveSteps.quadratic.problem()
        var rng = RunState(rng: RandomStream(seed: 1))
        var state = try optimizer.start(problem, from: FiveSteps.start.map(Float.init), run: &rng)
        var report = StepReport(loss: 0)
        var before = state
        for _ in 0..<50 where report.loss.isFinite {
            before = state
            report = try optimizer.step(&state, problem, run: &rng)
        }
        #expect(!report.loss.isFinite)
        #expect(state.weights.map(\.bitPattern) == before.weights.map(\.bitPattern))
        #expect(state.step == before.step)
    }

    @Test func startChecksTheWeightCount() throws {
        var rng = RunState(rng: RandomStream(seed: 1))
        #expect(throws: WeightLabError.shape("initial weight vector length", expected: 3, actual: 2)) {
            _ = try Adam().start(FiveSteps.quadratic.problem(), from: [1, 2], run: &rng)
        }
    }
}
