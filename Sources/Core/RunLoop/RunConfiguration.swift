import Foundation

/// How a run is driven: when it stops, what it records, what it checks against, and where it
/// saves checkpoints.
///
/// ```swift
/// let configuration = RunConfiguration(
///     stopping: [.epochs(30), .earlyStopping(EarlyStopping(patience: 5))],
///     validation: split.validation, test: split.test,
///     checkpoint: CheckpointPolicy(url: URL(filePath: "run.checkpoint.json"), everySteps: 500))
/// let result = try Trainer(Adam(), on: problem, configuration: configuration).run()
/// ```
public struct RunConfiguration: Sendable {
    /// When the run ends; needs at least one budget rule (steps, epochs, cost units or wall seconds).
    public var stopping: [StoppingRule]
    /// When trace rows are recorded; nil records each epoch when there are training samples,
    /// else each step.
    public var recording: Recording?
    /// Samples the incumbent is validated on at every recorded row (not charged to the ledger).
    public var validation: Samples?
    /// Samples the returned weights are tested on once, at the end.
    public var test: Samples?
    /// Whether every row also measures the incumbent on the whole training set (a forward pass
    /// over it, not charged to the ledger).
    public var measuresTrainingLoss: Bool
    /// Where and how often to save checkpoints; nil for none.
    public var checkpoint: CheckpointPolicy?
    /// The seed of the run's random stream (initial weights when none are given, and every
    /// random draw of the optimizer: dropout masks, mutations, ...).
    public var seed: UInt64
    /// When set and requested, the run stops at the next step boundary, saves its checkpoint
    /// (when a policy is set) and throws a `WeightLabError` of kind `.interrupted`.
    public var interruption: Interruption?

    public init(
        stopping: [StoppingRule], recording: Recording? = nil, validation: Samples? = nil, test: Samples? = nil,
        measuresTrainingLoss: Bool = false, checkpoint: CheckpointPolicy? = nil, seed: UInt64 = 0,
        interruption: Interruption? = nil
    ) {
        self.stopping = stopping
        self.recording = recording
        self.validation = validation
        self.test = test
        self.measuresTrainingLoss = measuresTrainingLoss
        self.checkpoint = checkpoint
        self.seed = seed
        self.interruption = interruption
    }

    /// The recording interval for `problem`, after checking every setting against it.
    func validated(for problem: Problem) throws -> Recording {
        let trainingCount = problem.training.count
        guard stopping.contains(where: \.isBudget) else {
            throw WeightLabError(.parameter, "a run needs at least one budget rule (steps, epochs, cost units or wall seconds) so that it ends")
        }
        for rule in stopping {
            try rule.validate(trainingCount: trainingCount, hasValidation: validation != nil)
        }
        let earlyRules = stopping.compactMap { if case .earlyStopping(let rule) = $0 { rule } else { nil } }
        if earlyRules.count > 1 {
            throw WeightLabError(.parameter, "at most one early-stopping rule per run; got \(earlyRules.count)")
        }
        if let validation {
            try checkSamples(validation, named: "validation", for: problem)
            if earlyRules.first?.metric == .validationAccuracy && !Monitor(problem).measuresAccuracy {
                throw WeightLabError(.parameter, "early stopping on validation accuracy needs a classification network objective")
            }
        }
        if let test { try checkSamples(test, named: "test", for: problem) }
        if let checkpoint { try validateCount("checkpoint interval (steps)", checkpoint.everySteps, atLeast: 1) }
        let recording = recording ?? (trainingCount > 0 ? .everyEpoch : .steps(1))
        try recording.validate(trainingCount: trainingCount)
        return recording
    }

    private func checkSamples(_ samples: Samples, named name: String, for problem: Problem) throws {
        guard samples.count > 0 else { throw WeightLabError(.data, "the \(name) set is empty") }
        if let network = problem.objective as? NetworkObjective, samples.featureCount != network.network.inputWidth {
            throw WeightLabError.shape("\(name) samples' feature count", expected: network.network.inputWidth, actual: samples.featureCount)
        }
    }
}

/// When the run loop records a trace row (and, with it, measures validation metrics).
public enum Recording: Sendable, Equatable {
    /// After every `n`-th step.
    case steps(Int)
    /// Each time another `n` gradient-epoch equivalents have been spent (see `Trainer`).
    case epochs(Double)

    /// A row per epoch.
    public static let everyEpoch = Recording.epochs(1)
    /// A row per step.
    public static let everyStep = Recording.steps(1)

    func validate(trainingCount: Int) throws {
        switch self {
        case .steps(let n):
            try validateCount("recording interval (steps)", n, atLeast: 1)
        case .epochs(let e):
            guard trainingCount > 0 else {
                throw WeightLabError(.parameter, "recording per epoch needs training samples: epochs are undefined for an analytic function; record every N steps instead")
            }
            guard e.isFinite, e > 0 else { throw WeightLabError.parameter("recording interval (epochs)", e, allowed: "a finite number > 0") }
        }
    }
}

/// Where a run saves its checkpoints, and how often.
public struct CheckpointPolicy: Sendable, Equatable {
    /// The checkpoint file, replaced atomically at each save.
    public var url: URL
    /// Steps between saves; a completed run also saves when it ends.
    public var everySteps: Int

    public init(url: URL, everySteps: Int) {
        self.url = url
        self.everySteps = everySteps
    }
}
