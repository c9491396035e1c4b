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

/// Any JSON value, kept exactly as decoded (integers beyond 2⁵³ stay exact), so a value of a
/// type unknown at decoding time can be decoded into its type later (see `AnyWeightOptimizer`).
enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case signed(Int64)
    case unsigned(UInt64)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let d = try? c.decode(Double.self) {
            // Numbers first: arrays of them are the bulk of a state. Integers a Double cannot
            // hold exactly (random stream words) are read again as integers.
            if d.rounded() == d, abs(d) >= 0x1p53, d.isFinite {
                if let i = try? c.decode(Int64.self) { self = .signed(i) }
                else if let u = try? c.decode(UInt64.self) { self = .unsigned(u) }
                else { self = .number(d) }
            } else {
                self = .number(d)
            }
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let d): try c.encode(d)
        case .signed(let i): try c.encode(i)
        case .unsigned(let u): try c.encode(u)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// This value decoded as `type`, through WeightLab's JSON settings.
    func decode<T: Decodable>(as type: T.Type) throws -> T {
        try JSONCoding.decoder().decode(type, from: JSONCoding.encoder().encode(self))
    }
}
