import Foundation

/// One session of a run: the loop that steps the optimizer, records rows, checks the stopping
/// rules, saves checkpoints and assembles the result. `Trainer` starts or resumes it.
struct RunDriver<Optimizer: WeightOptimizer> {
    let optimizer: Optimizer
    let problem: Problem
    let configuration: RunConfiguration
    let recording: Recording
    let monitor: Monitor
    let clockStart: ContinuousClock.Instant
    /// The ledger's total when this session began, and the units the run had spent by then.
    let meterStart: Int
    let spentBefore: Int
    var run: RunState
    var loop: RunBookkeeping
    var state: Optimizer.State

    /// A session continuing `run` and `loop` with `state`; `meterStart` is the ledger's total
    /// before anything of this session was charged.
    init(
        trainer: Trainer<Optimizer>, monitor: Monitor, state: Optimizer.State, run: RunState, loop: RunBookkeeping,
        clockStart: ContinuousClock.Instant, meterStart: Int
    ) {
        optimizer = trainer.optimizer
        problem = trainer.problem
        configuration = trainer.configuration
        recording = trainer.recording
        self.monitor = monitor
        self.clockStart = clockStart
        self.meterStart = meterStart
        self.spentBefore = run.costUnits
        self.run = run
        self.loop = loop
        self.state = state
    }

    /// Runs until a rule fires or the run diverges, then builds the result.
    mutating func drive(_ onRecord: (RunProgress) -> Void) throws -> RunResult {
        var status = try loop(onRecord)
        if case .completed = status {
            if !incumbentIsFinite {
                status = .diverged(step: loop.step)
            } else {
                if let policy = configuration.checkpoint { try save(to: policy.url) }
                // The closing row is not in the saved trace: a resumed run records it when it ends.
                if loop.lastRowStep != loop.step, !(try record(onRecord)) { status = .diverged(step: loop.step) }
            }
        }
        return try result(status)
    }

    /// Steps until a rule fires or a non-finite value appears: a step's loss, or the incumbent
    /// or its measured losses at a row or a checkpoint (a broken state is never saved).
    private mutating func loop(_ onRecord: (RunProgress) -> Void) throws -> RunStatus {
        if let reason = stopReason() { return .completed(reason) }
        while true {
            let stepStart = ContinuousClock.now
            let report = try optimizer.step(&state, problem, run: &run)
            loop.noteStepTime(Self.seconds(stepStart.duration(to: .now)))
            run.costUnits = costUnits
            guard report.loss.isFinite else { return .diverged(step: loop.step + 1) }
            loop.note(report)
            if rowIsDue, !(try record(onRecord)) { return .diverged(step: loop.step) }
            if let reason = stopReason() { return .completed(reason) }
            if let policy = configuration.checkpoint, loop.step % policy.everySteps == 0 {
                guard incumbentIsFinite else { return .diverged(step: loop.step) }
                try save(to: policy.url)
            }
            if let signal = configuration.interruption?.signal { try stop(on: signal) }
        }
    }

    /// Ends the session at this step boundary on a request: saves the checkpoint when a
    /// policy is set (and the incumbent is finite) unless this step's was just written, then
    /// throws the `.interrupted` error.
    private func stop(on signal: Int32) throws -> Never {
        let name = Interruption.name(of: signal)
        if let policy = configuration.checkpoint, incumbentIsFinite {
            if loop.step % policy.everySteps != 0 { try save(to: policy.url) }
            throw WeightLabError(.interrupted, "\(name) at step \(loop.step): checkpoint saved to \(policy.url.path); rerun the same command with --resume to continue")
        }
        throw WeightLabError(.interrupted, "\(name) at step \(loop.step): stopped without a checkpoint (give --checkpoint FILE to be able to resume)")
    }

    private var incumbentIsFinite: Bool {
        optimizer.incumbent(state).allSatisfy(\.isFinite)
    }

    /// The optimizer's incumbent, projected into the problem's box when it declares one (a
    /// method that does not handle the box itself searches the clipped, penalized objective).
    private var incumbent: [Float] { problem.confine(optimizer.incumbent(state)) }

    // MARK: - Measures

    /// Units the run has charged: those of earlier sessions and the ledger's growth in this one.
    private var costUnits: Int { spentBefore + problem.ledger.units - meterStart }

    /// Gradient-epoch equivalents: cost units / (3 × training samples).
    private var epochs: Double? {
        let n = problem.training.count
        return n > 0 ? Double(costUnits) / Double(CostLedger.gradientCost(samples: n)) : nil
    }

    private var wallSeconds: Double {
        loop.wallSeconds + Self.seconds(clockStart.duration(to: .now))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Whole recording intervals spent (for per-epoch recording).
    private var recordingMark: Int {
        guard case .epochs(let interval) = recording, let epochs else { return 0 }
        return Int((epochs / interval).rounded(.down))
    }

    private var rowIsDue: Bool {
        switch recording {
        case .steps(let n): loop.step % n == 0
        case .epochs: recordingMark > loop.lastRowMark
        }
    }

    // MARK: - Rules

    /// The first rule that fires now, in the configuration's order, after the optimizer's own end.
    private func stopReason() -> StopReason? {
        if let message = loop.finished { return .optimizerFinished(message) }
        for rule in configuration.stopping {
            switch rule {
            case .steps(let limit): if loop.step >= limit { return .steps }
            case .epochs(let limit): if let epochs, epochs >= limit { return .epochs }
            case .costUnits(let limit): if costUnits >= limit { return .costUnits }
            case .wallSeconds(let limit): if wallSeconds >= limit { return .wallSeconds }
            case .targetLoss(let target): if let loss = loop.lastLoss, loss <= target { return .targetLoss }
            case .earlyStopping(let rule): if loop.stale >= rule.patience { return .earlyStopping }
            }
        }
        return nil
    }

    private var earlyStopping: EarlyStopping? {
        for case .earlyStopping(let rule) in configuration.stopping { return rule }
        return nil
    }

    /// The largest share of any budget spent.
    private var fractionComplete: Double {
        var fraction = 0.0
        for rule in configuration.stopping {
            let share: Double? = switch rule {
            case .steps(let limit): Double(loop.step) / Double(limit)
            case .epochs(let limit): epochs.map { $0 / limit }
            case .costUnits(let limit): Double(costUnits) / Double(limit)
            case .wallSeconds(let limit): wallSeconds / limit
            case .targetLoss, .earlyStopping: nil
            }
            if let share { fraction = max(fraction, share.isFinite ? share : 1) }
        }
        return min(fraction, 1)
    }

    // MARK: - Rows

    /// Records a row for the current step: measures the incumbent, updates early stopping and
    /// the divergence fallback, and reports the row. Returns false, recording nothing, when the
    /// incumbent or a loss measured on it is not finite.
    private mutating func record(_ onRecord: (RunProgress) -> Void) throws -> Bool {
        guard let loss = loop.lastLoss else { return true }
        let weights = incumbent
        try checkDimension(weights, problem.dimension)
        guard weights.allSatisfy(\.isFinite) else { return false }
        var row = TraceRow(
            step: loop.step, epoch: epochs, costUnits: costUnits, wallSeconds: wallSeconds,
            loss: loss, averageLoss: Float(loop.lossSum / Double(max(loop.lossCount, 1))),
            learningRate: loop.learningRate, part: loop.part)
        if configuration.measuresTrainingLoss {
            let training = try monitor.evaluate(weights, on: problem.training)
            guard training.loss.isFinite else { return false }
            row.trainingLoss = training.loss
            row.trainingAccuracy = training.accuracy
        }
        var validation: Evaluation?
        if let samples = configuration.validation {
            validation = try monitor.evaluate(weights, on: samples)
            guard validation?.loss.isFinite == true else { return false }
            row.validationLoss = validation?.loss
            row.validationAccuracy = validation?.accuracy
        }
        let snapshot = WeightSnapshot(step: loop.step, weights: weights, statistics: monitor.statistics)
        if let rule = earlyStopping, let validation {
            let value = rule.metric == .validationLoss ? validation.loss : validation.accuracy ?? .nan
            if rule.improves(value, on: loop.bestValue) {
                loop.bestValue = value
                loop.best = snapshot
                loop.stale = 0
            } else {
                loop.stale += 1
            }
        }
        loop.fallback = snapshot
        loop.trace.rows.append(row)
        loop.lossSum = 0
        loop.lossCount = 0
        loop.lastRowStep = loop.step
        loop.lastRowMark = recordingMark
        onRecord(RunProgress(row: row, fractionComplete: fractionComplete))
        return true
    }

    // MARK: - Checkpoints and the result

    private func save(to url: URL) throws {
        var saved = loop
        saved.wallSeconds = wallSeconds
        let checkpoint = Checkpoint(
            optimizer: optimizer.name, dimension: problem.dimension, trainingSamples: problem.training.count,
            run: run, loop: saved, runningStatistics: monitor.statistics.map { PackedFloats(wrappedValue: $0) },
            weights: PackedFloats(wrappedValue: incumbent), state: state)
        try checkpoint.write(to: url)
    }

    private func result(_ status: RunStatus) throws -> RunResult {
        var handedOver: WeightSnapshot?
        if earlyStopping?.restoreBestWeights == true, let best = loop.best {
            handedOver = best
        } else if case .diverged = status {
            handedOver = loop.fallback
        }
        let weights = handedOver?.weights.wrappedValue ?? incumbent
        if let statistics = handedOver?.statistics { monitor.statistics = statistics.wrappedValue }
        return RunResult(
            optimizer: optimizer.name, status: status, weights: weights, steps: loop.step, epochs: epochs,
            costUnits: costUnits, wallSeconds: wallSeconds, stepSeconds: loop.stepSeconds ?? 0, trainingLoss: loop.lastLoss,
            restoredStep: handedOver?.step,
            validation: try finite(configuration.validation.map { try monitor.evaluate(weights, on: $0) }),
            test: try finite(configuration.test.map { try monitor.evaluate(weights, on: $0) }),
            trace: loop.trace)
    }

    /// An evaluation with a finite loss, else nil (a result holds no non-finite number).
    private func finite(_ evaluation: Evaluation?) -> Evaluation? {
        guard let evaluation, evaluation.loss.isFinite else { return nil }
        return evaluation
    }
}
