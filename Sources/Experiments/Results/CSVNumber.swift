import Foundation
import WeightLab

/// How numbers are written in the CSV files: the shortest text that reads back exactly,
/// `inf`/`-inf`/`nan` for non-finite values, empty for absent ones.
enum CSVNumber {
    static func text(_ value: Double?) -> String {
        guard let value else { return "" }
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func text(_ value: Int?) -> String { value.map(String.init) ?? "" }

    static func double(_ text: String, _ what: String) throws -> Double? {
        if text.isEmpty { return nil }
        guard let value = Double(text) else { throw WeightLabError(.data, "\(what): '\(text)' is not a number") }
        return value
    }

    static func int(_ text: String, _ what: String) throws -> Int {
        guard let value = Int(text) else { throw WeightLabError(.data, "\(what): '\(text)' is not a whole number") }
        return value
    }
}
