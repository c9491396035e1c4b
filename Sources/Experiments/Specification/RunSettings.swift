import WeightLab

/// When a run ends (the `budget` field): every bound given applies, the first reached ends
/// the run. At least one is required, so every run ends.
///
/// ```yaml
/// budget: {units: 2e7, epochs: 5}     # cost units (1 per sample forward, 2 more backward), epochs, seconds, steps
/// ```
public struct Budget: Sendable, Equatable {
    /// Ledger units.
    public var units: Int?
    /// Gradient-epoch equivalents: units / (3 × training samples).
    public var epochs: Double?
    /// Wall seconds.
    public var seconds: Double?
    /// Optimizer steps.
    public var steps: Int?

    init(_ reader: ParameterReader) throws {
        units = try reader.number("units", in: 1...1e15).map { Int($0) }
        epochs = try reader.number("epochs", in: 0...1e6, openLower: true)
        seconds = try reader.number("seconds", in: 0...1e7, openLower: true)
        steps = try reader.integer("steps", atLeast: 1)
        try reader.finishFields()
        guard units != nil || epochs != nil || seconds != nil || steps != nil else {
            throw reader.error(at: reader.origins.origin(of: reader.path), "give at least one of units, epochs, seconds, steps so that every run ends")
        }
    }

    /// Every bound multiplied by `factor` (quick mode), whole quantities at least 1.
    func scaled(by factor: Double) -> Budget {
        var budget = self
        budget.units = units.map { max(1, Int(Double($0) * factor)) }
        budget.epochs = epochs.map { $0 * factor }
        budget.seconds = seconds.map { $0 * factor }
        budget.steps = steps.map { max(1, Int(Double($0) * factor)) }
        return budget
    }
}

/// Rules that end a run early (the `stopping` field).
///
/// ```yaml
/// stopping: {patience: 5, monitor: validation-accuracy, minDelta: 0.001, restoreBest: true, targetLoss: 0.05}
/// ```
public struct StoppingSpec: Sendable, Equatable {
    /// Early stopping: trace points without improvement of `monitor` before the run stops; nil for none.
    public var patience: Int?
    /// `validation-loss` or `validation-accuracy`.
    public var monitor: String
    /// The least change that counts as an improvement.
    public var minDelta: Double
    /// Whether the run hands over the best validated weights rather than the last.
    public var restoreBest: Bool
    /// Stop once a step reports a training loss at or below this.
    public var targetLoss: Double?

    public static let monitors = ["validation-loss", "validation-accuracy"]

    init(_ reader: ParameterReader?) throws {
        patience = try reader?.integer("patience", atLeast: 1)
        monitor = try reader?.choice("monitor", from: Self.monitors) ?? "validation-loss"
        minDelta = try reader?.number("minDelta", in: 0...1e6) ?? 0
        restoreBest = try reader?.bool("restoreBest") ?? true
        targetLoss = try reader?.number("targetLoss")
        try reader?.finishFields()
    }
}

/// When trace rows (the lines of `runs.csv`, the points of the curves) are recorded: the
/// `trace` field, `{epochs: 0.5}`, `{steps: 100}` or `{points: 20}` (about that many rows
/// over the budget; the default).
public enum TraceInterval: Sendable, Equatable {
    case epochs(Double)
    case steps(Int)
    case points(Int)

    init(_ reader: ParameterReader?) throws {
        guard let reader else {
            self = .points(20)
            return
        }
        let given = ["epochs", "steps", "points"].filter(reader.has)
        guard given.count == 1 else {
            throw reader.error(at: reader.origins.origin(of: reader.path), "give exactly one of epochs, steps, points; got \(given.isEmpty ? "none" : given.joined(separator: ", "))")
        }
        if let epochs = try reader.number("epochs", in: 0...1e6, openLower: true) {
            self = .epochs(epochs)
        } else if let steps = try reader.integer("steps", atLeast: 1) {
            self = .steps(steps)
        } else {
            self = .points(try reader.integer("points", atLeast: 2) ?? 20)
        }
        try reader.finishFields()
    }
}

/// The samples population methods price a generation on (the `fitness` field):
/// `{samples: 1024, resample: true}` (a fresh subset each generation; the default),
/// `{samples: 1024, resample: false}` (one fixed subset) or `all`.
public enum FitnessSpec: Sendable, Equatable {
    case subset(size: Int, resample: Bool)
    case all

    init(_ value: SpecValue?, reader parent: ParameterReader) throws {
        guard let value else {
            self = .subset(size: 1024, resample: true)
            return
        }
        if value == .string("all") {
            self = .all
            return
        }
        guard case .object = value else {
            throw parent.error("fitness", "expected `all` or an object {samples: N, resample: true|false}, got \(value)")
        }
        let reader = try ParameterReader(value, path: SpecPath.appending(parent.path, key: "fitness"), source: parent.source, origins: parent.origins)
        let size = try reader.integer("samples", atLeast: 1) ?? 1024
        self = .subset(size: size, resample: try reader.bool("resample") ?? true)
        try reader.finishFields()
    }
}
