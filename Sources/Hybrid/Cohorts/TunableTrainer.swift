import WeightLabCore
import WeightLabGradient

/// A trainer whose hyperparameters can be set: what population-based training copies and
/// perturbs. It builds the trainer for given values of its named hyperparameters.
///
/// ```swift
/// let trainer = TunableTrainer(["learningRate"], startingAt: [0.001]) { values in
///     try Adam(learningRate: values[0])
/// }
/// ```
public struct TunableTrainer: Sendable {
    /// The hyperparameters' names, for reports and errors.
    public let names: [String]
    /// Their starting values.
    public let values: [Float]
    private let build: @Sendable ([Float]) throws -> any WeightOptimizer

    /// A trainer built by `build` from values of the hyperparameters `names`, which start at
    /// `values` (one per name, each finite and positive: perturbing by factors never moves 0).
    public init(_ names: [String], startingAt values: [Float], build: @escaping @Sendable ([Float]) throws -> any WeightOptimizer) throws {
        guard names.count == values.count else {
            throw WeightLabError(.parameter, "\(names.count) hyperparameter names but \(values.count) starting values")
        }
        for (name, value) in zip(names, values) { try validatePositive(name, value) }
        self.names = names
        self.values = values
        self.build = build
        _ = try make(values)
    }

    /// The trainer with hyperparameter values `values`.
    public func make(_ values: [Float]) throws -> AnyWeightOptimizer {
        AnyWeightOptimizer(try build(values))
    }
}

extension TunableTrainer {
    /// The optimizer `spec` names, with the hyperparameters `names` set in its specification.
    /// Each starts at the value the specification gives or, for `learningRate` and
    /// `weightDecay` of a first-order method, at the method's default.
    init(_ spec: OptimizerSpec, tuning names: [String], registry: OptimizerRegistry, for combiner: String) throws {
        let base = try registry.part(spec, kind: .singlePoint, for: combiner)
        let settings = (base as? any FirstOrderOptimizer)?.settings
        let values = try names.map { name -> Float in
            if case .number(let value)? = spec.parameters[name] { return Float(value) }
            switch name {
            case "learningRate" where settings != nil: return settings?.learningRate ?? 0
            case "weightDecay" where settings != nil: return settings?.weightDecay.coefficient ?? 0
            default:
                throw WeightLabError(.specification, "\(spec.path): \(combiner) tunes '\(name)', so the specification needs a starting value, e.g. \"\(name)\": 0.001")
            }
        }
        for (name, value) in zip(names, values) where !(value.isFinite && value > 0) {
            throw WeightLabError(.specification, "\(spec.path).\(name) starts at \(value), which perturbing by factors never moves: \(combiner) needs a positive starting value")
        }
        try self.init(names, startingAt: values) { values in
            var tuned = spec
            for (name, value) in zip(names, values) { tuned.parameters[name] = .number(Double(value)) }
            return try registry.make(tuned)
        }
    }
}
