import WeightLabCore

extension LearningRateSchedule {
    /// The schedule kinds a specification may name.
    public static let kinds = ["constant", "step", "exponential", "inverse-time", "cosine", "cosine-restarts", "warmup", "plateau"]

    /// Reads a schedule from an optimizer specification's `schedule` value: a kind name
    /// (`"plateau"`) when every parameter has a default, or an object such as
    /// `{"kind": "cosine", "period": 1000, "minimum": 1e-5}`. `path` names the value in errors.
    ///
    /// Keys per kind (PyTorch's names in camelCase): step — `stepSize`, `gamma` (0.1);
    /// exponential — `gamma`; inverse-time — `decayRate`, `decaySteps` (1); cosine — `period`,
    /// `minimum` (0); cosine-restarts — `period`, `periodMultiplier` (1), `minimum` (0);
    /// warmup — `steps` (5), `startFactor` (1/3), `then` (a schedule, constant);
    /// plateau — `factor` (0.1), `patience` (10), `threshold` (1e-4), `cooldown` (0),
    /// `minimum` (0), `period` (steps per epoch).
    public init(_ value: SpecValue, path: String) throws {
        var fields: [String: SpecValue]
        switch value {
        case .string(let kind):
            fields = ["kind": .string(kind)]
        case .object(let object):
            fields = object
        default:
            throw WeightLabError(.specification, "\(path): expected a schedule name (\(Self.kinds.joined(separator: ", "))) or an object with a \"kind\" field, got \(value)")
        }
        guard case .string(let kind)? = fields.removeValue(forKey: "kind") else {
            throw WeightLabError(.specification, "\(path): a schedule needs a \"kind\" field, one of \(Self.kinds.joined(separator: ", "))")
        }
        guard Self.kinds.contains(kind) else {
            throw WeightLabError(.specification, "\(path).kind = \(kind) is unknown; known: \(Self.kinds.joined(separator: ", "))")
        }
        let reader = ParameterReader(OptimizerSpec(name: "the \(kind) schedule", parameters: fields, path: path))
        self = try Self.read(kind, reader, path: path)
        try reader.finish()
        try validate()
    }

    /// The keys of every kind, declared once (docs/gradient.md lists them).
    enum Keys {
        static let stepSize = Parameter<Int?>("stepSize", absent: "required", .atLeast(1), "steps between decays")
        static let gamma = Parameter("gamma", default: Float(0.1), .positive, "γ, the decay factor")
        static let decayRate = Parameter("decayRate", default: Float(1), .nonNegative, "r, the inverse-time decay rate")
        static let decaySteps = Parameter("decaySteps", default: 1, .atLeast(1), "s, steps per unit of decay")
        static let period = Parameter<Int?>("period", absent: "required", .atLeast(1), "T, steps per cosine period (or per plateau check)")
        static let periodMultiplier = Parameter("periodMultiplier", default: 1, .within(1...1_000), "m, the growth of each restart's period")
        static let minimum = Parameter("minimum", default: Float(0), .nonNegative, "η_min, the lowest rate")
        static let warmupSteps = Parameter("steps", default: 5, .atLeast(1), "W, the warm-up steps")
        static let startFactor = Parameter("startFactor", default: Float(1.0 / 3), .unit, "s, the warm-up's starting share of η")
        static let factor = Parameter("factor", default: Float(0.1), .fraction, "the shrink factor on a plateau")
        static let patience = Parameter("patience", default: 10, .atLeast(0), "checks without improvement before shrinking")
        static let threshold = Parameter("threshold", default: Float(1e-4), .nonNegative, "the relative improvement that counts")
        static let cooldown = Parameter("cooldown", default: 0, .atLeast(0), "checks to wait after a shrink")
    }

    private static func read(_ kind: String, _ p: ParameterReader, path: String) throws -> LearningRateSchedule {
        switch kind {
        case "step":
            return .stepDecay(stepSize: try p.required(Keys.stepSize), gamma: try p.value(Keys.gamma))
        case "exponential":
            return .exponential(gamma: try p.required(Parameter<Float?>("gamma", absent: "required", .positive, Keys.gamma.doc)))
        case "inverse-time":
            return .inverseTime(decayRate: try p.value(Keys.decayRate), decaySteps: try p.value(Keys.decaySteps))
        case "cosine":
            return .cosine(period: try p.required(Keys.period), minimum: try p.value(Keys.minimum))
        case "cosine-restarts":
            return .cosineRestarts(
                period: try p.required(Keys.period), periodMultiplier: try p.value(Keys.periodMultiplier), minimum: try p.value(Keys.minimum))
        case "warmup":
            let inner = try p.raw("then").map { try LearningRateSchedule($0, path: path + ".then") } ?? .constant
            return .warmup(steps: try p.value(Keys.warmupSteps), startFactor: try p.value(Keys.startFactor), then: inner)
        case "plateau":
            return .reduceOnPlateau(ReduceOnPlateau(
                factor: try p.value(Keys.factor), patience: try p.value(Keys.patience), threshold: try p.value(Keys.threshold),
                cooldown: try p.value(Keys.cooldown), minimum: try p.value(Keys.minimum), period: try p.value(Keys.period)))
        default:
            return .constant
        }
    }
}
