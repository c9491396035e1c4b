/// The run loop's own record between steps, which the optimizer never sees: counters, what
/// the next row summarizes, the rows so far, and the weights it may hand back instead of the
/// optimizer's incumbent. Saved in every checkpoint beside the `RunState`, so a resumed run
/// records the same trace and returns the same weights as one that never stopped.
struct RunBookkeeping: Codable, Sendable {
    /// Steps completed.
    var step = 0
    /// Wall seconds spent before the current session (updated when saved).
    var wallSeconds = 0.0
    /// Wall seconds spent inside the optimizer's `step` calls, across sessions; nil in a
    /// checkpoint written before WeightLab recorded it (the count then starts at the resume).
    var stepSeconds: Double?
    /// The last step's report (its loss is finite; divergence ends the run first).
    var lastLoss: Float?
    var learningRate: Float?
    var part: String?
    var finished: String?
    /// Sum and count of the step losses since the previous row.
    var lossSum = 0.0
    var lossCount = 0
    /// The step and the recording mark (whole recording intervals spent) of the last row.
    var lastRowStep = 0
    var lastRowMark = 0
    /// The incumbent at the last row (finite, or the row would not exist; the start before any
    /// row): what a diverged run returns.
    var fallback: WeightSnapshot
    /// Early stopping: the best measurement, its weights, and measurements since it.
    var bestValue: Float?
    var best: WeightSnapshot?
    var stale = 0
    /// The rows recorded so far.
    var trace = Trace()

    init(start: WeightSnapshot) {
        self.fallback = start
    }

    /// Adds the wall time of one `step` call.
    mutating func noteStepTime(_ seconds: Double) {
        stepSeconds = (stepSeconds ?? 0) + seconds
    }

    /// Takes in a step's report (with a finite loss).
    mutating func note(_ report: StepReport) {
        step += 1
        lastLoss = report.loss
        learningRate = report.learningRate
        part = report.part
        finished = report.finished
        lossSum += Double(report.loss)
        lossCount += 1
    }
}

/// Weights at some step, with the batch-norm running statistics that go with them.
struct WeightSnapshot: Codable, Sendable {
    var step: Int
    var weights: PackedFloats
    var statistics: PackedFloats?

    init(step: Int, weights: [Float], statistics: [Float]?) {
        self.step = step
        self.weights = PackedFloats(wrappedValue: weights)
        self.statistics = statistics.map { PackedFloats(wrappedValue: $0) }
    }
}
