import WeightLabCore
import WeightLabEvolutionary

/// What a combiner needs a part to be, checked when the part is built from its specification.
enum PartKind {
    /// Any optimizer.
    case any
    /// A method that moves one point (gradient methods, simulated annealing, another combiner).
    case singlePoint
}

extension ParameterReader {
    /// The nested specification under `key`, which the combiner cannot do without: throws
    /// naming the path and giving an example when it is absent.
    func requiredPart(_ key: String, example: String) throws -> OptimizerSpec {
        guard let spec = try optimizer(key) else {
            throw WeightLabError(.specification, "\(path).\(key): \(optimizerName ?? "") needs this part, e.g. \"\(key)\": \(example)")
        }
        return spec
    }
}

extension OptimizerRegistry {
    /// Builds a combiner's part, checking that it is of the `kind` the combiner `combiner`
    /// needs and naming the part's path otherwise.
    func part(_ spec: OptimizerSpec, kind: PartKind, for combiner: String) throws -> any WeightOptimizer {
        let optimizer = try make(spec)
        if kind == .singlePoint, optimizer is any PopulationMethod {
            throw WeightLabError(.specification, "\(spec.path): '\(spec.name)' is a population method, but \(combiner) trains single points here (a gradient method such as adam, or sa)")
        }
        return optimizer
    }

    /// Builds a combiner's population part, naming the part's path when it is not a
    /// population method.
    func populationPart(_ spec: OptimizerSpec, for combiner: String) throws -> any PopulationMethod {
        guard let method = try make(spec) as? any PopulationMethod else {
            throw WeightLabError(.specification, "\(spec.path): '\(spec.name)' is a single-point method, but \(combiner) needs a population method here (ga, de, pso, cma-es, sep-cma-es, openai-es, pgpe, snes)")
        }
        return method
    }
}

extension OptimizerSpec {
    /// Removes the combiner's own key `key` from this part's specification (the part's
    /// optimizer would reject it) and reads it with `read`, errors naming this part's path.
    mutating func takeOwnParameter<T>(_ key: String, _ read: (ParameterReader) throws -> T) throws -> T {
        let value = parameters.removeValue(forKey: key)
        let reader = ParameterReader(OptimizerSpec(name: name, parameters: value.map { [key: $0] } ?? [:], path: path))
        return try read(reader)
    }
}

/// The trace label of a step a part ran: the part's label, followed by the label its own
/// report gives when the part is itself a combiner (`2:memetic/ga+adam`).
func partLabel(_ label: String, _ report: StepReport) -> String {
    report.part.map { "\(label)/\($0)" } ?? label
}

/// The rows of a combiner's parts and its shared keys, for `weightlab optimizers NAME`.
enum PartParameters {
    /// A nested specification `name`: required, with `doc` and a small `example`.
    static func part(_ name: String, _ doc: String, list: Bool = false, example: String) -> ParameterInfo {
        ParameterInfo(
            name: name, defaultText: "required", allowed: list ? "a list of optimizer specifications" : "an optimizer specification", doc: doc,
            example: example)
    }

    /// Where members start: `start`.
    static let start = Parameter("start", default: "sampled", .oneOf(["sampled", "shared"]), "`sampled`: only the first member starts from the run's start; `shared`: all do")
}

extension ParameterReader {
    /// A list of names, or `defaultValue` when absent.
    func names(_ key: String, default defaultValue: [String]) throws -> [String] {
        guard let value = raw(key) else { return defaultValue }
        guard case .list(let items) = value, !items.isEmpty else {
            throw WeightLabError(.parameter, "\(path).\(key) = \(value) is invalid for \(optimizerName ?? ""): expected a non-empty list of names")
        }
        return try items.map { item in
            guard case .string(let name) = item else {
                throw WeightLabError(.parameter, "\(path).\(key): \(item) is not a name (a string)")
            }
            return name
        }
    }

    /// A list of finite positive numbers, or `defaultValue` when absent.
    func positiveNumbers(_ key: String, default defaultValue: [Float]) throws -> [Float] {
        guard let value = raw(key) else { return defaultValue }
        guard case .list(let items) = value, !items.isEmpty else {
            throw WeightLabError(.parameter, "\(path).\(key) = \(value) is invalid for \(optimizerName ?? ""): expected a non-empty list of numbers > 0")
        }
        return try items.map { item in
            guard case .number(let d) = item, d.isFinite, d > 0 else {
                throw WeightLabError(.parameter, "\(path).\(key): \(item) is not a finite number > 0")
            }
            return Float(d)
        }
    }

    /// Whether members start from the run's starting weights (`PartParameters.start`).
    func sharedStart() throws -> Bool {
        try value(PartParameters.start) == "shared"
    }
}
