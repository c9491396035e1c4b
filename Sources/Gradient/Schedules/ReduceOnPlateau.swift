import WeightLabCore

/// Lowers the learning rate when the loss stops improving, after PyTorch's
/// `ReduceLROnPlateau(mode="min", threshold_mode="rel")`.
///
/// The loss is averaged over each period of `period` steps (one epoch of mini-batches by
/// default) and the average is handed to PyTorch's rule:
///
///     if loss < best·(1 − threshold): best ← loss, bad ← 0   else: bad ← bad + 1
///     if cooldown > 0: cooldown ← cooldown − 1, bad ← 0
///     if bad > patience: η ← max(η·factor, minimum) (only if that lowers η by more than 1e-8),
///                        cooldown ← cooldownPeriods, bad ← 0
///
/// PyTorch steps this on a validation metric once per epoch; an optimizer sees only the
/// training losses of its own steps, so here the metric is their mean over a period.
/// Defaults match PyTorch: factor 0.1, patience 10, threshold 1e-4, cooldown 0, minimum 0.
public struct ReduceOnPlateau: Sendable, Equatable, Codable {
    /// Multiplies the learning rate at each reduction.
    public var factor: Float
    /// Periods without improvement tolerated before a reduction.
    public var patience: Int
    /// Relative improvement that counts as one.
    public var threshold: Float
    /// Periods after a reduction during which no bad periods are counted.
    public var cooldown: Int
    /// The learning rate never goes below this.
    public var minimum: Float
    /// Steps per period; nil means one epoch of the problem's mini-batches (1 without batches).
    public var period: Int?

    public init(factor: Float = 0.1, patience: Int = 10, threshold: Float = 1e-4, cooldown: Int = 0, minimum: Float = 0, period: Int? = nil) {
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.cooldown = cooldown
        self.minimum = minimum
        self.period = period
    }

    /// Throws unless every parameter is in its allowed range.
    public func validate() throws {
        try Allowed<Float>.fraction.check("schedule factor", factor)
        try validateCount("schedule patience", patience, atLeast: 0)
        try Allowed<Float>.nonNegative.check("schedule threshold", threshold)
        try validateCount("schedule cooldown", cooldown, atLeast: 0)
        try Allowed<Float>.nonNegative.check("schedule minimum", minimum)
        if let period { try validateCount("schedule period", period, atLeast: 1) }
    }

    /// Adds one step's loss; at the end of a period applies PyTorch's rule to the mean.
    func observe(loss: Float, rate: Float, state: inout PlateauState) {
        state.periodSum += Double(loss)
        state.periodCount += 1
        guard state.periodCount >= state.periodLength else { return }
        let mean = Float(state.periodSum / Double(state.periodCount))
        state.periodSum = 0
        state.periodCount = 0
        if let best = state.best, !(mean < best * (1 - threshold)) {
            state.badPeriods += 1
        } else {
            state.best = mean
            state.badPeriods = 0
        }
        if state.cooldownLeft > 0 {
            state.cooldownLeft -= 1
            state.badPeriods = 0
        }
        if state.badPeriods > patience {
            let current = state.rate ?? rate
            let reduced = max(current * factor, minimum)
            if current - reduced > 1e-8 { state.rate = reduced }
            state.cooldownLeft = cooldown
            state.badPeriods = 0
        }
    }
}

/// What a reduce-on-plateau schedule remembers between steps; part of the optimizer state.
public struct PlateauState: Sendable, Equatable, Codable {
    /// The reduced learning rate; nil until the first reduction.
    public var rate: Float?
    /// The best period mean so far; nil before the first period ends.
    public var best: Float?
    public var badPeriods = 0
    public var cooldownLeft = 0
    /// Steps per period.
    public var periodLength = 1
    /// Running sum and count of the current period's losses.
    public var periodSum = 0.0
    public var periodCount = 0

    public init(periodLength: Int = 1) {
        self.periodLength = max(1, periodLength)
    }
}
