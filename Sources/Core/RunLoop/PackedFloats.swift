import Foundation

/// A `[Float]` that encodes as one base64 string of its little-endian IEEE 754 bytes instead of
/// a JSON array of decimal numbers: exact (non-finite values included), about 5.3 characters
/// per weight instead of 10–14, and quick to write and read. A 235,000-weight vector takes
/// 1.25 MB this way.
///
/// Use it as a property wrapper on the large vectors of an optimizer's state:
/// ```swift
/// struct State: Codable, Sendable {
///     @PackedFloats var weights: [Float]
///     @PackedFloats var velocity: [Float]
///     var step: Int
/// }
/// ```
/// Decoding also accepts a plain JSON array of numbers, so hand-written files work.
@propertyWrapper
public struct PackedFloats: Codable, Sendable, Equatable {
    public var wrappedValue: [Float]

    public init(wrappedValue: [Float]) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let array = try? container.decode([Float].self) {
            wrappedValue = array
            return
        }
        let text = try container.decode(String.self)
        guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected base64 of little-endian Float32 values (a multiple of 4 bytes)")
        }
        wrappedValue = Self.floats(fromLittleEndian: data)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Self.littleEndianBytes(of: wrappedValue).base64EncodedString())
    }

    /// The little-endian bytes of `values`, four per value.
    public static func littleEndianBytes(of values: [Float]) -> Data {
        var data = Data(count: values.count * 4)
        data.withUnsafeMutableBytes { raw in
            for (i, value) in values.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
            }
        }
        return data
    }

    /// The values whose little-endian bytes are `data` (whose length is a multiple of 4).
    public static func floats(fromLittleEndian data: Data) -> [Float] {
        data.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { i in
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        }
    }
}
