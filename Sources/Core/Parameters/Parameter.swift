/// One parameter of an optimizer (or of a piece of one, such as a schedule), declared once:
/// its name in specifications, its default, the values it allows and what it means. The
/// factory reads it (`ParameterReader.value(_:)`), the initializer checks and stores its
/// argument with it (`checked`), and `weightlab optimizers NAME` and the tables in docs/ print
/// it (`info`).
public struct Parameter<Value: ParameterValue>: Sendable {
    /// The key in a specification (`"learningRate"`).
    public let name: String
    /// The value when the key is absent (nil for an optional parameter left out).
    public let defaultValue: Value
    /// The default in words, as the describe command prints it.
    public let defaultText: String
    /// The values it allows.
    public let allowed: Allowed<Value>
    /// What it means, in one line.
    public let doc: String

    /// A parameter with default `value`.
    public init(_ name: String, default value: Value, _ allowed: Allowed<Value>, _ doc: String) {
        self.name = name
        self.defaultValue = value
        self.defaultText = value.parameterText
        self.allowed = allowed
        self.doc = doc
    }

    /// An optional parameter: nil when absent, which `absent` explains ("calibrated",
    /// "4 + ⌊3 ln n⌋", "never", "required").
    public init<Wrapped>(_ name: String, absent: String, _ allowed: Allowed<Wrapped>, _ doc: String) where Value == Wrapped? {
        self.name = name
        self.defaultValue = nil
        self.defaultText = absent
        self.allowed = Allowed<Wrapped?>(allowed.words) { $0.map(allowed.allows) ?? true }
        self.doc = doc
    }

    /// The same parameter with another default (a shared parameter such as `learningRate`,
    /// whose default differs between optimizers).
    public func withDefault(_ value: Value) -> Parameter {
        Parameter(name, default: value, allowed, doc)
    }

    /// Throws a `WeightLabError` naming the parameter unless `value` is allowed.
    public func check(_ value: Value) throws { try allowed.check(name, value) }

    /// `value`, once `check` passes: an initializer validates and stores a field in one line.
    public func checked(_ value: Value) throws -> Value {
        try check(value)
        return value
    }

    /// A present `value` of an optional parameter (an argument's default already filled in),
    /// once `check` passes.
    public func checked<Wrapped>(_ value: Wrapped) throws -> Wrapped where Value == Wrapped? {
        try check(value)
        return value
    }

    /// The declaration in words.
    public var info: ParameterInfo { ParameterInfo(name: name, defaultText: defaultText, allowed: allowed.words, doc: doc) }
}

/// A parameter's declaration in words, whatever its type: one row of `weightlab optimizers
/// NAME` and of the parameter tables in docs/.
public struct ParameterInfo: Sendable, Equatable {
    public let name: String
    public let defaultText: String
    public let allowed: String
    public let doc: String
    /// A value (JSON) a small run can use, for parameters without a default that fits one
    /// (required parts, the input width): the contract tests build every optimizer with these.
    public let example: String?

    public init(name: String, defaultText: String, allowed: String, doc: String, example: String? = nil) {
        self.name = name
        self.defaultText = defaultText
        self.allowed = allowed
        self.doc = doc
        self.example = example
    }

    /// The same row with `example`.
    public func withExample(_ example: String) -> ParameterInfo {
        ParameterInfo(name: name, defaultText: defaultText, allowed: allowed, doc: doc, example: example)
    }

    /// The declarations as a Markdown table (name, default, allowed, meaning).
    public static func table(_ parameters: [ParameterInfo]) -> String {
        var lines = ["| parameter | default | allowed | meaning |", "| --- | --- | --- | --- |"]
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        for p in parameters {
            lines.append("| `\(p.name)` | \(cell(p.defaultText)) | \(cell(p.allowed)) | \(cell(p.doc)) |")
        }
        return lines.joined(separator: "\n")
    }
}

/// A type a parameter can have: read from a specification value, printed as a default.
public protocol ParameterValue: Sendable {
    /// The value `spec` holds, nil when it is of another kind.
    init?(spec: SpecValue)
    /// The value as the describe command prints it.
    var parameterText: String { get }
}

extension ParameterValue where Self: CustomStringConvertible {
    public var parameterText: String { description }
}

extension Optional: ParameterValue where Wrapped: ParameterValue {
    public init?(spec: SpecValue) {
        guard let value = Wrapped(spec: spec) else { return nil }
        self = value
    }
    public var parameterText: String { map(\.parameterText) ?? "none" }
}

extension Float: ParameterValue {
    public init?(spec: SpecValue) {
        guard case .number(let d) = spec, d.isFinite else { return nil }
        self = Float(d)
    }
    public var parameterText: String { compactNumber(self) }
}

extension Double: ParameterValue {
    public init?(spec: SpecValue) {
        guard case .number(let d) = spec, d.isFinite else { return nil }
        self = d
    }
    public var parameterText: String { compactNumber(self) }
}

extension Int: ParameterValue {
    public init?(spec: SpecValue) {
        guard case .number(let d) = spec, d.isFinite, d == d.rounded(), abs(d) < 0x1p62 else { return nil }
        self = Int(d)
    }
}

extension Bool: ParameterValue {
    public init?(spec: SpecValue) {
        guard case .bool(let b) = spec else { return nil }
        self = b
    }
}

extension String: ParameterValue {
    public init?(spec: SpecValue) {
        guard case .string(let s) = spec else { return nil }
        self = s
    }
    public var parameterText: String { "`\(self)`" }
}
