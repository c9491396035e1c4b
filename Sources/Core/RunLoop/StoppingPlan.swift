/// When a run stops, as the command line and experiment specs say it: budget bounds, early
/// stopping and a target loss. The one mapping to the run loop's `StoppingRule`s, in the order
/// that decides the reason when two fire at once: units, epochs, seconds, steps, early
/// stopping, target loss.
public struct StoppingPlan: Sendable, Equatable {
    /// Ledger units.
    public var units: Int?
    /// Gradient-epoch equivalents: units / (3 × training samples).
    public var epochs: Double?
    /// Wall seconds.
    public var seconds: Double?
    /// Optimizer steps (generations for population methods).
    public var steps: Int?
    public var earlyStopping: EarlyStopping?
    /// Stop once a step reports a training loss at or below this.
    public var targetLoss: Float?

    public init(
        units: Int? = nil, epochs: Double? = nil, seconds: Double? = nil, steps: Int? = nil,
        earlyStopping: EarlyStopping? = nil, targetLoss: Float? = nil
    ) {
        self.units = units
        self.epochs = epochs
        self.seconds = seconds
        self.steps = steps
        self.earlyStopping = earlyStopping
        self.targetLoss = targetLoss
    }

    /// Whether some bound ends every run (early stopping and a target may never fire).
    public var isBounded: Bool { units != nil || epochs != nil || seconds != nil || steps != nil }

    /// The run loop's rules.
    public var rules: [StoppingRule] {
        var rules: [StoppingRule] = []
        if let units { rules.append(.costUnits(units)) }
        if let epochs { rules.append(.epochs(epochs)) }
        if let seconds { rules.append(.wallSeconds(seconds)) }
        if let steps { rules.append(.steps(steps)) }
        if let earlyStopping { rules.append(.earlyStopping(earlyStopping)) }
        if let targetLoss { rules.append(.targetLoss(targetLoss)) }
        return rules
    }
}
