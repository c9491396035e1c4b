import WeightLabCore

/// The allowed values of a real hyperparameter, stated once so that an initializer and the
/// registry reject the same values with the same words.
public enum Constraint: Sendable, Equatable {
    /// x > 0.
    case positive
    /// x ≥ 0.
    case nonNegative
    /// 0 ≤ x ≤ 1.
    case unit
    /// 0 ≤ x < 1 (decay rates such as Adam's betas).
    case unitOpen
    /// 0 < x < 1 (shrink factors).
    case fraction

    /// Whether `x` is finite and allowed.
    public func allows(_ x: Float) -> Bool {
        guard x.isFinite else { return false }
        switch self {
        case .positive: return x > 0
        case .nonNegative: return x >= 0
        case .unit: return x >= 0 && x <= 1
        case .unitOpen: return x >= 0 && x < 1
        case .fraction: return x > 0 && x < 1
        }
    }

    /// The allowed values in words, for error messages.
    public var allowed: String {
        switch self {
        case .positive: "a finite number > 0"
        case .nonNegative: "a finite number ≥ 0"
        case .unit: "a number in [0, 1]"
        case .unitOpen: "a number in [0, 1)"
        case .fraction: "a number in (0, 1)"
        }
    }

    /// Throws a `WeightLabError` naming `name` unless `x` is allowed.
    public func check(_ name: String, _ x: Float) throws {
        guard allows(x) else { throw WeightLabError.parameter(name, x, allowed: allowed) }
    }
}

extension ParameterReader {
    /// A real parameter obeying `constraint`, or `defaultValue` when absent; the error names
    /// the field (`optimizer.beta2`) and the allowed range.
    func number(_ key: String, default defaultValue: Float, _ constraint: Constraint) throws -> Float {
        Float(try double(key, default: Double(defaultValue), constraint))
    }

    /// As `number`, in double precision (for parameters handed to GSL).
    func double(_ key: String, default defaultValue: Double, _ constraint: Constraint) throws -> Double {
        guard let value = raw(key) else { return defaultValue }
        guard case .number(let d) = value, constraint.allows(Float(d)) else {
            throw WeightLabError(.parameter, "\(spec.path).\(key) = \(value) is invalid for \(spec.name): expected \(constraint.allowed)")
        }
        return d
    }

    /// An integer parameter that must be present, in `range`.
    func requiredInt(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard raw(key) != nil else {
            throw WeightLabError(.parameter, "\(spec.path).\(key) is required for \(spec.name): expected an integer in [\(range.lowerBound), \(range.upperBound)]")
        }
        return try int(key, default: range.lowerBound, in: range)
    }
}
