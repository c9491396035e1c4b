import Foundation

/// JSON as WeightLab writes and reads it (checkpoints, results, traces): keys sorted, `/`
/// unescaped (it is frequent in base64, see `PackedFloats`), and
/// non-finite floats as the strings `"inf"`, `"-inf"` and `"nan"` (plain `JSONEncoder` throws
/// on them, and a diverging run must still be recordable).
public enum JSONCoding {
    /// An encoder with WeightLab's settings.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// A decoder matching `encoder()`.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// A one-line account of a decoding error: where in the file, and what was wrong.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "at the top level" : "at " + path.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field '\(key.stringValue)' \(at(context.codingPath))"
        case .typeMismatch(let type, let context): return "expected \(type) \(at(context.codingPath)): \(context.debugDescription)"
        case .valueNotFound(let type, let context): return "missing \(type) value \(at(context.codingPath))"
        case .dataCorrupted(let context): return "\(context.debugDescription) \(at(context.codingPath))"
        @unknown default: return "\(error)"
        }
    }
}
