import Foundation

/// A value in an optimizer or experiment specification: what JSON, YAML and `--param` hold,
/// and the one JSON value WeightLab writes (`jsonText`). `null` is JSON's: the CLI writes it
/// for a missing or non-finite number; specification readers reject it where they expect a value.
public enum SpecValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case null
    case number(Double)
    case string(String)
    case bool(Bool)
    case list([SpecValue])
    case object([String: SpecValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let l = try? c.decode([SpecValue].self) { self = .list(l) }
        else if let o = try? c.decode([String: SpecValue].self) { self = .object(o) }
        else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected null, a number, string, boolean, list or object")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .list(let l): try c.encode(l)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses a command-line value: a number, `true`/`false`, inline JSON (`{...}`, `[...]`), else a string.
    public init(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let d = Double(trimmed) { self = .number(d) }
        else if trimmed == "true" { self = .bool(true) }
        else if trimmed == "false" { self = .bool(false) }
        else if let first = trimmed.first, first == "{" || first == "[",
                let data = trimmed.data(using: .utf8),
                let value = try? JSONDecoder().decode(SpecValue.self, from: data) { self = value }
        else { self = .string(trimmed) }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .number(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): s
        case .bool(let b): String(b)
        case .list(let l): "[" + l.map(\.description).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.keys.sorted().map { "\($0): \(o[$0]!.description)" }.joined(separator: ", ") + "}"
        }
    }
}

/// A named optimizer with its parameters, as written in an experiment file or on the command
/// line: `{"optimizer": "adam", "learningRate": 0.001}`. Parts of a combiner are nested
/// specifications.
public struct OptimizerSpec: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The registry name.
    public var name: String
    /// Every other key of the specification.
    public var parameters: [String: SpecValue]
    /// Where this specification sits in its file (`variants[2].optimizer`), for error messages.
    public var path: String

    public init(name: String, parameters: [String: SpecValue] = [:], path: String = "optimizer") {
        self.name = name
        self.parameters = parameters
        self.path = path
    }

    /// Reads `{"optimizer": NAME, ...}`, or a bare name.
    public init(_ value: SpecValue, path: String = "optimizer") throws {
        switch value {
        case .string(let name):
            self.init(name: name, path: path)
        case .object(var fields):
            guard case .string(let name)? = fields.removeValue(forKey: "optimizer") else {
                throw WeightLabError(.specification, "\(path): an optimizer specification needs an \"optimizer\" field naming it")
            }
            self.init(name: name, parameters: fields, path: path)
        default:
            throw WeightLabError(.specification, "\(path): expected an optimizer name or an object with an \"optimizer\" field, got \(value)")
        }
    }

    /// Parses inline JSON (`{"optimizer": "adam", ...}`) or a bare name.
    public init(parsing text: String, path: String = "--optimizer") throws {
        let value = SpecValue(parsing: text)
        if case .string(let s) = value, s.hasPrefix("{") {
            throw WeightLabError(.specification, "\(path): could not parse the inline specification \(s) as JSON")
        }
        try self.init(value, path: path)
    }

    /// The specification as a value, with its name under "optimizer".
    public var value: SpecValue {
        var fields = parameters
        fields["optimizer"] = .string(name)
        return .object(fields)
    }

    public var description: String {
        parameters.isEmpty ? name : name + "(" + parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: ", ") + ")"
    }

    public init(from decoder: any Decoder) throws {
        try self.init(SpecValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}

/// Reads one object of a specification with types, ranges and defaults, and rejects keys
/// nobody read (a misspelled name is an error, not a silent default): an optimizer's
/// parameters (`value(_:)` of its declarations, errors naming the field and the optimizer) or
/// an object of an experiment file (`string`, `number`, ... in `SpecFields.swift`, errors
/// naming file, line and path: `x.yaml:7: dataset.validation: expected a number in [0, 1)`).
public final class ParameterReader {
    /// The optimizer whose parameters are read; nil for an object of an experiment file.
    public let optimizerName: String?
    /// The object's fields.
    public let fields: [String: SpecValue]
    /// The object's path in its file (`dataset`, `variants[2].optimizer`), "" for a file's root.
    public let path: String
    /// The file the object was written in, for file:line errors (`SpecSource.none` for a
    /// specification from the command line).
    public let source: SpecSource
    /// Where the object's values were written when a variant's overrides moved them.
    public let origins: SpecOrigins
    var read: Set<String> = []

    /// A reader of an optimizer's specification.
    public init(_ spec: OptimizerSpec) {
        (optimizerName, fields, path) = (spec.name, spec.parameters, spec.path)
        self.source = .none
        self.origins = SpecOrigins()
    }

    /// A reader of the object `value` at `path` of the file `source`; throws unless `value` is an object.
    public init(_ value: SpecValue, path: String, source: SpecSource, origins: SpecOrigins = SpecOrigins()) throws {
        guard case .object(let fields) = value else {
            throw source.error(at: origins.origin(of: path), "expected an object of fields, got \(value.kindName) (\(value))")
        }
        (optimizerName, self.fields, self.path) = (nil, fields, path)
        self.source = source
        self.origins = origins
    }

    private func field(_ key: String) -> String { "\(path).\(key)" }
    /// " for NAME" in errors about an optimizer's parameters.
    private var owner: String { optimizerName.map { " for \($0)" } ?? "" }

    /// The declared parameter's value: the specification's, checked against the declaration,
    /// or the default when absent (nil for an optional parameter). Errors name the field
    /// (`variants[1].optimizer.beta2`), the value and what the declaration allows.
    public func value<Value>(_ parameter: Parameter<Value>) throws -> Value {
        read.insert(parameter.name)
        guard let raw = fields[parameter.name] else { return parameter.defaultValue }
        guard let value = Value(spec: raw), parameter.allowed.allows(value) else {
            throw WeightLabError(.parameter, "\(field(parameter.name)) = \(raw) is invalid\(owner): expected \(parameter.allowed.words)")
        }
        return value
    }

    /// The value of an optional parameter that this optimizer cannot do without.
    public func required<Wrapped>(_ parameter: Parameter<Wrapped?>) throws -> Wrapped {
        guard let value = try value(parameter) else {
            throw WeightLabError(.parameter, "\(field(parameter.name)) is required\(owner): expected \(parameter.allowed.words)")
        }
        return value
    }

    /// A nested optimizer specification (a combiner's part), or nil when absent.
    public func optimizer(_ key: String) throws -> OptimizerSpec? {
        read.insert(key)
        guard let value = fields[key] else { return nil }
        return try OptimizerSpec(value, path: field(key))
    }

    /// A list of nested optimizer specifications.
    public func optimizers(_ key: String) throws -> [OptimizerSpec]? {
        read.insert(key)
        guard let value = fields[key] else { return nil }
        guard case .list(let items) = value else {
            throw WeightLabError(.specification, "\(field(key)): expected a list of optimizer specifications")
        }
        return try items.enumerated().map { try OptimizerSpec($1, path: "\(field(key))[\($0)]") }
    }

    /// The raw value of `key`, marking it read.
    public func raw(_ key: String) -> SpecValue? {
        read.insert(key)
        return fields[key]
    }

    /// Throws if the specification holds a parameter no accessor asked for, listing the known
    /// ones (`declared`, when given: the entry's declarations, including those only read with
    /// another choice, such as `coolingMoves` under a linear schedule).
    public func finish(declared: [String] = []) throws {
        let unknown = Set(fields.keys).subtracting(read)
        guard unknown.isEmpty else {
            let known = (declared.isEmpty ? Array(read) : declared).sorted()
            throw WeightLabError(.parameter, "\(path): unknown parameter\(unknown.count > 1 ? "s" : "") \(unknown.sorted().joined(separator: ", "))\(owner); known: \(known.joined(separator: ", "))")
        }
    }
}
