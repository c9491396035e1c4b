/// What a run produced.
///
/// Every value is finite: a diverged run reports its last finite loss and the weights of its
/// last recorded row, and a metric that could not be measured finitely is nil.
public struct RunResult: Sendable, Codable {
    /// The optimizer's registry name.
    public var optimizer: String
    /// How the run ended.
    public var status: RunStatus
    /// The weights handed over: the optimizer's incumbent; the best validated weights under
    /// early stopping with `restoreBestWeights`; those of the last recorded row after divergence.
    @PackedFloats public var weights: [Float]
    /// Steps taken.
    public var steps: Int
    /// Gradient-epoch equivalents spent; nil for analytic functions.
    public var epochs: Double?
    /// Ledger units charged.
    public var costUnits: Int
    /// Wall seconds, across resumes.
    public var wallSeconds: Double
    /// Wall seconds spent inside the optimizer's `step` calls, across resumes: the training
    /// alone, without the start, monitoring (validation and test metrics), checkpoints and the
    /// run loop's own work. Samples per second of training is samples seen / this.
    public var stepSeconds: Double
    /// The last finite training loss a step reported; nil when no step did.
    public var trainingLoss: Float?
    /// The step of the weights handed over when they are not the final incumbent (early
    /// stopping's best, or the last finite row after divergence; 0 for the start).
    public var restoredStep: Int?
    /// The returned weights on the validation samples.
    public var validation: Evaluation?
    /// The returned weights on the test samples.
    public var test: Evaluation?
    /// The recorded rows.
    public var trace: Trace
}

/// What the progress hook receives at every recorded row: enough for a progress bar and an ETA.
public struct RunProgress: Sendable {
    /// The row just recorded.
    public var row: TraceRow
    /// The largest share of any budget rule spent so far, in 0...1.
    public var fractionComplete: Double
}
