import Foundation

/// The values a parameter accepts, in one vocabulary for every optimizer, schedule and
/// combiner: the check and the words an error or `weightlab optimizers NAME` shows.
public struct Allowed<Value: Sendable>: Sendable {
    /// The allowed values in words ("a number in [0, 1)").
    public let words: String
    private let test: @Sendable (Value) -> Bool

    /// Values passing `test`, described as `words`.
    public init(_ words: String, _ test: @escaping @Sendable (Value) -> Bool) {
        self.words = words
        self.test = test
    }

    /// Whether `value` is allowed.
    public func allows(_ value: Value) -> Bool { test(value) }

    /// Throws a `WeightLabError` naming `name` unless `value` is allowed.
    public func check(_ name: String, _ value: Value) throws {
        guard test(value) else { throw WeightLabError.parameter(name, "\(value)", allowed: words) }
    }
}

extension Allowed where Value: BinaryFloatingPoint {
    /// x > 0, finite.
    public static var positive: Allowed { Allowed("a finite number > 0") { $0.isFinite && $0 > 0 } }
    /// x ≥ 0, finite.
    public static var nonNegative: Allowed { Allowed("a finite number ≥ 0") { $0.isFinite && $0 >= 0 } }
    /// 0 ≤ x ≤ 1.
    public static var unit: Allowed { Allowed("a number in [0, 1]") { $0 >= 0 && $0 <= 1 } }
    /// 0 ≤ x < 1 (decay rates such as Adam's betas).
    public static var unitOpen: Allowed { Allowed("a number in [0, 1)") { $0 >= 0 && $0 < 1 } }
    /// 0 < x < 1 (shrink factors).
    public static var fraction: Allowed { Allowed("a number in (0, 1)") { $0 > 0 && $0 < 1 } }
    /// Any finite number.
    public static var finite: Allowed { Allowed("a finite number") { $0.isFinite } }
    /// lower ≤ x ≤ upper.
    public static func within(_ range: ClosedRange<Value>) -> Allowed {
        Allowed("a number in [\(compactNumber(range.lowerBound)), \(compactNumber(range.upperBound))]") { $0.isFinite && range.contains($0) }
    }
}

extension Allowed where Value == Int {
    /// n ≥ minimum.
    public static func atLeast(_ minimum: Int) -> Allowed { Allowed("an integer ≥ \(minimum)") { $0 >= minimum } }
    /// lower ≤ n ≤ upper.
    public static func within(_ range: ClosedRange<Int>) -> Allowed {
        Allowed("an integer in [\(range.lowerBound), \(range.upperBound)]") { range.contains($0) }
    }
}

extension Allowed where Value == String {
    /// One of `choices`.
    public static func oneOf(_ choices: [String]) -> Allowed {
        Allowed("one of \(choices.joined(separator: ", "))") { choices.contains($0) }
    }
}

extension Allowed where Value == Bool {
    /// true or false.
    public static var either: Allowed { Allowed("true or false") { _ in true } }
}

/// A real number as a person writes it: `0.5`, `1e-8`, `1000000`, never `1e-08` or `10.0`.
func compactNumber(_ value: some BinaryFloatingPoint) -> String {
    var text = "\(value)"
    if text.hasSuffix(".0") { text.removeLast(2) }
    text = text.replacingOccurrences(of: "e+", with: "e").replacingOccurrences(of: "e-0", with: "e-")
    return text
}
