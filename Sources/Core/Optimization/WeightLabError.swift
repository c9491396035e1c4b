/// Every error WeightLab throws for bad input: each names what was wrong and where.
public struct WeightLabError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What kind of input was wrong.
    public enum Kind: String, Sendable {
        case shape, parameter, data, specification, io, numerical, unsupported
        /// A run stopped early on request (a signal); the message says how to resume.
        case interrupted
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// A wrong shape: `what` was `actual`, expected `expected`.
    public static func shape(_ what: String, expected: Int, actual: Int) -> WeightLabError {
        WeightLabError(.shape, "\(what): expected \(expected), got \(actual)")
    }

    /// A hyperparameter outside its allowed range.
    public static func parameter(_ name: String, _ value: some CustomStringConvertible, allowed: String) -> WeightLabError {
        WeightLabError(.parameter, "parameter '\(name)' = \(value) is invalid: allowed \(allowed)")
    }
}

/// Checks that a hyperparameter is finite and inside `range`, naming it in the error otherwise.
public func validate(_ name: String, _ value: Float, in range: ClosedRange<Float>) throws {
    try Allowed.within(range).check(name, value)
}

/// Checks that a hyperparameter is finite and strictly positive.
public func validatePositive(_ name: String, _ value: Float) throws {
    try Allowed.positive.check(name, value)
}

/// Checks that a count is at least `minimum`.
public func validateCount(_ name: String, _ value: Int, atLeast minimum: Int) throws {
    try Allowed.atLeast(minimum).check(name, value)
}
