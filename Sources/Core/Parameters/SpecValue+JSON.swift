import Foundation

extension SpecValue {
    /// The value as one line of JSON: keys sorted by their UTF-8 bytes, numbers in the
    /// shortest form that reads back to the same Double (`1000`, `0.10000000149011612`,
    /// `1e-05`), `/` escaped as `\/`. Throws on a non-finite number (JSON has none: write
    /// `.null`, or use `number(finite:)`).
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A number, or `.null` when it is absent, NaN or infinite.
    public static func number(finite value: Double?) -> SpecValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// A Float widened to Double (`0.1` writes as `0.10000000149011612`), or `.null` when
    /// absent, NaN or infinite.
    public static func number(finite value: Float?) -> SpecValue {
        number(finite: value.map(Double.init))
    }
}
