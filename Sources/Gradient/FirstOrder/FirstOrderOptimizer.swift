import WeightLabCore

/// A first-order optimizer: one gradient evaluation per step, then an update rule applied in
/// place. Conformers supply only their rule (an `UpdateRule` from Core); the gradient, the batch,
/// the schedule and the weight decay are handled once here (the bookkeeping of mlx-swift's
/// optimizer base class, the composition of Optax's `chain`).
///
/// One step, for update number t (1-based, PyTorch's t):
///
///     g ← ∇f(w) on the batch (mini-batch or full)       η ← schedule(η₀, t − 1)
///     coupled decay: g ← g + λw    |    decoupled decay: w ← w − ηλw
///     w ← rule(w, g, buffers, η, t)
///
/// A step whose loss is not finite leaves the weights and buffers untouched and reports the
/// loss, so the run loop can stop the run as diverged.
public protocol FirstOrderOptimizer: WeightOptimizer where State == GradientState<Rule.Buffers> {
    /// The update rule (`MomentumRule`, `AdamRule`, `ClipUpRule`, ...).
    associatedtype Rule: UpdateRule

    /// The learning rate, schedule, weight decay and batch choice.
    var settings: FirstOrderSettings { get }

    /// How the weights move against the (decayed) gradient.
    var rule: Rule { get }
}

extension FirstOrderOptimizer {
    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> GradientState<Rule.Buffers> {
        guard initial.count == problem.dimension else {
            throw WeightLabError.shape("initial weight vector length", expected: problem.dimension, actual: initial.count)
        }
        guard problem.objective.providesGradient else {
            throw WeightLabError(.unsupported, "\(name) needs gradients, but the objective does not provide them")
        }
        let periodLength = settings.schedule.plateauRule?.period
            ?? (settings.batch == .full ? 1 : problem.batchOrder?.batchesPerEpoch ?? 1)
        return GradientState(weights: initial, buffers: rule.makeBuffers(dimension: initial.count), plateau: PlateauState(periodLength: periodLength))
    }

    public func step(_ state: inout GradientState<Rule.Buffers>, _ problem: Problem, run: inout RunState) throws -> StepReport {
        if !state.fitsProblem {
            try checkFits(state, problem)
            state.fitsProblem = true
        }
        let batch = settings.batch == .full ? problem.fullBatch : run.nextBatch(of: problem)
        let loss = try problem.objective.lossAndGradient(at: state.weights, on: batch, into: &state.gradient, rng: &run.rng)
        let rate = settings.schedule.rate(base: settings.learningRate, step: state.step, plateau: state.plateau)
        guard loss.isFinite else { return StepReport(loss: loss, learningRate: rate) }
        state.step += 1
        let t = state.step
        let decay = settings.weightDecay
        state.update { w, g, buffers in
            decay.apply(weights: w, gradient: g, rate: rate)
            rule.update(weights: w, gradient: g, buffers: &buffers, learningRate: rate, step: t)
        }
        settings.schedule.observe(loss: loss, rate: rate, plateau: &state.plateau)
        return StepReport(loss: loss, learningRate: rate)
    }

    public func mismatch(_ state: GradientState<Rule.Buffers>, _ problem: Problem) -> String? {
        let d = problem.dimension
        return state.weights.count == d ? rule.mismatch(state.buffers, dimension: d) : "its weights hold \(state.weights.count) values, the problem has \(d)"
    }

    public func incumbent(_ state: GradientState<Rule.Buffers>) -> [Float] {
        state.weights
    }

    /// The learning rate the next step of `state` will use.
    public func learningRate(_ state: GradientState<Rule.Buffers>) -> Float {
        settings.schedule.rate(base: settings.learningRate, step: state.step, plateau: state.plateau)
    }
}
