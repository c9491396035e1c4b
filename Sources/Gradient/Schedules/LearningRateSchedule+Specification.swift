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

    private static func read(_ kind: String, _ p: ParameterReader, path: String) throws -> LearningRateSchedule {
        switch kind {
        case "step":
            return .stepDecay(stepSize: try p.requiredInt("stepSize", in: 1...Int.max), gamma: try p.number("gamma", default: 0.1, .positive))
        case "exponential":
            guard p.raw("gamma") != nil else {
                throw WeightLabError(.parameter, "\(path).gamma is required for the exponential schedule: expected a finite number > 0")
            }
            return .exponential(gamma: try p.number("gamma", default: 1, .positive))
        case "inverse-time":
            return .inverseTime(decayRate: try p.number("decayRate", default: 1, .nonNegative), decaySteps: try p.int("decaySteps", default: 1, in: 1...Int.max))
        case "cosine":
            return .cosine(period: try p.requiredInt("period", in: 1...Int.max), minimum: try p.number("minimum", default: 0, .nonNegative))
        case "cosine-restarts":
            return .cosineRestarts(
                period: try p.requiredInt("period", in: 1...Int.max),
                periodMultiplier: try p.int("periodMultiplier", default: 1, in: 1...1_000),
                minimum: try p.number("minimum", default: 0, .nonNegative))
        case "warmup":
            let inner = try p.raw("then").map { try LearningRateSchedule($0, path: path + ".then") } ?? .constant
            return .warmup(steps: try p.int("steps", default: 5, in: 1...Int.max), startFactor: try p.number("startFactor", default: 1.0 / 3, .unit), then: inner)
        case "plateau":
            let period = try p.raw("period") == nil ? nil : p.int("period", default: 1, in: 1...Int.max)
            return .reduceOnPlateau(ReduceOnPlateau(
                factor: try p.number("factor", default: 0.1, .fraction),
                patience: try p.int("patience", default: 10, in: 0...Int.max),
                threshold: try p.number("threshold", default: 1e-4, .nonNegative),
                cooldown: try p.int("cooldown", default: 0, in: 0...Int.max),
                minimum: try p.number("minimum", default: 0, .nonNegative),
                period: period))
        default:
            return .constant
        }
    }
}
