/// The parameters a specification left out, whose defaults may then follow the problem: its
/// search box, or on a network each weight's initializer scale (docs/domains.md). A method
/// built in code names them itself; one read from a specification takes them from its reader.
public struct LeftOut: Sendable, Equatable, Codable, ExpressibleByArrayLiteral {
    /// The parameters' names.
    public var names: Set<String>

    public init(arrayLiteral names: String...) { self.names = Set(names) }

    /// Those of `names` that `reader`'s specification does not give.
    public init(_ names: [String], of reader: ParameterReader) {
        self.names = Set(names.filter { reader.raw($0) == nil })
    }

    /// Whether `parameter` was left out.
    public func contains<Value>(_ parameter: Parameter<Value>) -> Bool { names.contains(parameter.name) }
}
