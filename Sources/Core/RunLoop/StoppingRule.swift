/// When a run ends. Rules combine: the run loop checks all of them and stops at the first to
/// fire (on the same step, the one listed first wins); the result names it.
///
/// Budget rules (`steps`, `epochs`, `costUnits`, `wallSeconds`) are checked before every step,
/// so a budget already spent stops the run before its first step, and a run overshoots a cost
/// budget by at most one step (a step is never cut short). `targetLoss` is checked after every
/// step, early stopping at every recorded row (see `Recording`). Besides these rules a run
/// always stops when the optimizer reports `StepReport.finished`, and when the loss turns
/// non-finite (status `diverged`).
public enum StoppingRule: Sendable, Equatable {
    /// Stop after this many optimizer steps (counted across resumes).
    case steps(Int)
    /// Stop after this many gradient-epoch equivalents: ledger units / (3 × training samples).
    /// Needs training samples.
    case epochs(Double)
    /// Stop once the objective's ledger has charged this many units during the run.
    case costUnits(Int)
    /// Stop once this many seconds of wall time have passed (counted across resumes).
    case wallSeconds(Double)
    /// Stop once a step reports a training loss at or below this value.
    case targetLoss(Float)
    /// Stop when a validation metric stops improving.
    case earlyStopping(EarlyStopping)

    /// Whether the rule bounds the run on its own: every run needs one.
    var isBudget: Bool {
        switch self {
        case .steps, .epochs, .costUnits, .wallSeconds: true
        case .targetLoss, .earlyStopping: false
        }
    }

    /// Throws unless the rule's numbers are valid for a problem with `trainingCount` samples.
    func validate(trainingCount: Int, hasValidation: Bool) throws {
        switch self {
        case .steps(let n):
            try validateCount("steps", n, atLeast: 0)
        case .epochs(let e):
            guard trainingCount > 0 else {
                throw WeightLabError(.parameter, "the epochs stopping rule needs training samples: epochs are ledger units / (3 × training samples), undefined for an analytic function; use steps, cost units or wall seconds")
            }
            guard e.isFinite, e >= 0 else { throw WeightLabError.parameter("epochs", e, allowed: "a finite number ≥ 0") }
        case .costUnits(let u):
            try validateCount("cost units", u, atLeast: 0)
        case .wallSeconds(let s):
            guard s.isFinite, s >= 0 else { throw WeightLabError.parameter("wall seconds", s, allowed: "a finite number ≥ 0") }
        case .targetLoss(let t):
            guard t.isFinite else { throw WeightLabError.parameter("target loss", t, allowed: "a finite number") }
        case .earlyStopping(let rule):
            guard hasValidation else {
                throw WeightLabError(.parameter, "early stopping needs validation samples (RunConfiguration.validation)")
            }
            try rule.validate()
        }
    }
}

/// Early stopping on a validation metric, as in Keras' `EarlyStopping` callback.
///
/// The metric is measured at every recorded trace row (every epoch by default). A measurement
/// improves on the best so far when it is better by more than `minDelta` (lower loss, higher
/// accuracy). After `patience` measurements in a row without improvement the run stops.
/// With `restoreBestWeights` the run returns the weights (and batch-norm statistics) of the
/// best measurement however the run ended; Keras restores them only when the rule fires.
public struct EarlyStopping: Sendable, Equatable, Codable {
    /// What is watched.
    public enum Metric: String, Sendable, Equatable, Codable {
        /// Mean validation loss; lower is better.
        case validationLoss = "validation-loss"
        /// Validation accuracy; higher is better (classification only).
        case validationAccuracy = "validation-accuracy"
    }

    public var metric: Metric
    /// Measurements without improvement tolerated before stopping.
    public var patience: Int
    /// The least change that counts as an improvement.
    public var minDelta: Float
    /// Whether the run returns the best measurement's weights rather than the last ones.
    public var restoreBestWeights: Bool

    /// Keras' defaults, except for patience (Keras: 0).
    public init(metric: Metric = .validationLoss, patience: Int = 5, minDelta: Float = 0, restoreBestWeights: Bool = true) {
        self.metric = metric
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBestWeights = restoreBestWeights
    }

    func validate() throws {
        try validateCount("early stopping patience", patience, atLeast: 1)
        try WeightLabCore.validate("early stopping minDelta", minDelta, in: 0...Float.greatestFiniteMagnitude)
    }

    /// Whether `value` improves on `best` by more than `minDelta`.
    func improves(_ value: Float, on best: Float?) -> Bool {
        guard value.isFinite else { return false }
        guard let best else { return true }
        switch metric {
        case .validationLoss: return value < best - minDelta
        case .validationAccuracy: return value > best + minDelta
        }
    }
}

/// Why a run that did not diverge ended.
public enum StopReason: Sendable, Equatable, Codable, CustomStringConvertible {
    case steps
    case epochs
    case costUnits
    case wallSeconds
    case targetLoss
    case earlyStopping
    /// The optimizer reported it had nothing more to do, with its reason.
    case optimizerFinished(String)

    /// The short name used in JSON and CSV (`"cost-units"`, `"optimizer-finished"`).
    public var name: String {
        switch self {
        case .steps: "steps"
        case .epochs: "epochs"
        case .costUnits: "cost-units"
        case .wallSeconds: "wall-seconds"
        case .targetLoss: "target-loss"
        case .earlyStopping: "early-stopping"
        case .optimizerFinished: "optimizer-finished"
        }
    }

    public var description: String {
        if case .optimizerFinished(let message) = self { return "optimizer finished: \(message)" }
        return name
    }

    private enum CodingKeys: String, CodingKey { case reason, message }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .reason)
        let simple: [StopReason] = [.steps, .epochs, .costUnits, .wallSeconds, .targetLoss, .earlyStopping]
        if let reason = simple.first(where: { $0.name == name }) {
            self = reason
        } else if name == "optimizer-finished" {
            self = .optimizerFinished(try c.decode(String.self, forKey: .message))
        } else {
            throw DecodingError.dataCorruptedError(forKey: .reason, in: c, debugDescription: "unknown stop reason '\(name)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .reason)
        if case .optimizerFinished(let message) = self { try c.encode(message, forKey: .message) }
    }
}

/// How a run ended.
public enum RunStatus: Sendable, Equatable, Codable, CustomStringConvertible {
    /// A stopping rule fired (or the optimizer finished).
    case completed(StopReason)
    /// A non-finite value appeared at step `step`: the loss the step reported, or the
    /// incumbent (or a loss measured on it) at a row, a checkpoint or the end of the run.
    case diverged(step: Int)

    public var description: String {
        switch self {
        case .completed(let reason): "completed (\(reason))"
        case .diverged(let step): "diverged at step \(step)"
        }
    }

    private enum CodingKeys: String, CodingKey { case status, step }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .status) {
        case "completed": self = .completed(try StopReason(from: decoder))
        case "diverged": self = .diverged(step: try c.decode(Int.self, forKey: .step))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .status, in: c, debugDescription: "unknown run status '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .completed(let reason):
            try c.encode("completed", forKey: .status)
            try reason.encode(to: encoder)
        case .diverged(let step):
            try c.encode("diverged", forKey: .status)
            try c.encode(step, forKey: .step)
        }
    }
}
