import Foundation

/// Drives any `WeightOptimizer` on any `Problem` until a stopping rule fires, recording a
/// trace, saving checkpoints, and handing back the result.
///
/// ```swift
/// let trainer = try Trainer(optimizer, on: problem, configuration: RunConfiguration(stopping: [.epochs(10)]))
/// let result = try trainer.run { progress in bar.update(progress.fractionComplete) }
/// ```
///
/// **Steps.** A step is the optimizer's natural unit (one mini-batch update, one generation,
/// one line-search iteration); the run loop calls `step` and checks its rules in between.
///
/// **Epochs.** For every method alike, an epoch is a gradient-epoch equivalent: the cost units
/// the ledger charged during the run divided by 3 × the number of training samples (a forward
/// and backward pass over each sample once). A mini-batch gradient epoch is exactly one epoch;
/// an evolutionary method reaches one after spending the same units, so methods compared at
/// equal epochs are compared at equal cost. Analytic functions have no training samples, so
/// epochs are undefined there: epoch rules and per-epoch recording are rejected.
///
/// **Randomness.** The run's stream is `RandomStream(seed: configuration.seed)`: initial
/// weights, when not given, come from its child 1, every step draws from its child 2 (the
/// `RunState`'s stream, with the problem's mini-batch order).
///
/// **Divergence.** A non-finite value ends the run with `diverged(step:)`: the loss a step
/// reports, or the incumbent (or a loss measured on it) at a recorded row, a checkpoint or the
/// end. The result then holds the weights of the last recorded row (or the start), and no
/// non-finite number; a checkpoint is never overwritten with a broken state.
///
/// The library prints nothing: `onRecord` hooks a progress display.
public struct Trainer<Optimizer: WeightOptimizer>: Sendable {
    public let optimizer: Optimizer
    public let problem: Problem
    public let configuration: RunConfiguration
    let recording: Recording

    /// A trainer for `optimizer` on `problem`; throws when the configuration does not fit the
    /// problem (no budget rule, epochs on an analytic function, an empty validation set, ...).
    public init(_ optimizer: Optimizer, on problem: Problem, configuration: RunConfiguration) throws {
        self.optimizer = optimizer
        self.problem = problem
        self.configuration = configuration
        self.recording = try configuration.validated(for: problem)
    }

    /// Runs from `initial` weights (by default, a draw of the problem's `sampleWeights`),
    /// projected into the problem's box when it declares one.
    /// - Parameter onRecord: called at every recorded row, on the calling thread.
    public func run(from initial: [Float]? = nil, onRecord: (RunProgress) -> Void = { _ in }) throws -> RunResult {
        let clockStart = ContinuousClock.now
        let root = RandomStream(seed: configuration.seed)
        var weightStream = root.split(1)
        let start = problem.confine(initial ?? problem.sampleWeights(&weightStream))
        try checkDimension(start, problem.dimension)
        let monitor = Monitor(problem)
        var run = RunState(problem, rng: root.split(2))
        let meterStart = problem.ledger.units
        let state = try optimizer.start(problem, from: start, run: &run)
        let loop = RunBookkeeping(start: WeightSnapshot(step: 0, weights: start, statistics: monitor.statistics))
        var driver = RunDriver(
            trainer: self, monitor: monitor, state: state, run: run, loop: loop, clockStart: clockStart, meterStart: meterStart)
        return try driver.drive(onRecord)
    }

    /// Continues the run saved in the checkpoint at `url` on the identical trajectory: the same
    /// steps, random draws, mini-batches, trace and result as if it had never stopped, provided
    /// the problem is built the same way (same data, batch size and seed) and the optimizer
    /// with the same parameters. The configuration's rules apply to the whole run (a run saved
    /// at step 500 and resumed with `.steps(1000)` takes 500 more steps).
    public func resume(from url: URL, onRecord: (RunProgress) -> Void = { _ in }) throws -> RunResult {
        let clockStart = ContinuousClock.now
        let checkpoint = try Checkpoint<Optimizer.State>.read(from: url, optimizer: optimizer, problem: problem)
        let state = checkpoint.state
        if let mismatch = optimizer.mismatch(state, problem) {
            throw WeightLabError(.data, "checkpoint \(url.path): the state of \(optimizer.name) does not fit the problem: \(mismatch)")
        }
        let monitor = Monitor(problem)
        monitor.statistics = checkpoint.runningStatistics?.wrappedValue
        var driver = RunDriver(
            trainer: self, monitor: monitor, state: state, run: checkpoint.run, loop: checkpoint.loop, clockStart: clockStart,
            meterStart: problem.ledger.units)
        return try driver.drive(onRecord)
    }
}
