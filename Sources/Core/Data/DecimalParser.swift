/// Parses a decimal number written in ASCII bytes into a correctly rounded Float.
///
/// The common case — an optional sign, at most 9 significant digits with an optional point
/// and a decimal exponent that leaves a power of ten up to 10¹⁰ — is computed as one exact
/// integer divided or multiplied by one exact power of ten, which IEEE arithmetic rounds
/// correctly (Clinger's fast path, "How to read floating point numbers accurately", PLDI
/// 1990). Every other spelling (more digits, large exponents, `nan`, `inf`, hexadecimal) goes
/// to the standard library's parser, so results are the same as `Float(String)`'s.
enum DecimalParser {
    /// Exact powers of ten in Float: 5¹⁰ < 2²⁴, so 10⁰ ... 10¹⁰ are exact.
    private static let powersOfTen: [Float] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]

    /// The number spelled by `text` (no surrounding spaces), or nil when it is not a number.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Float? {
        fastPath(text) ?? Float(String(decoding: text, as: UTF8.self))
    }

    private static func fastPath(_ text: UnsafeBufferPointer<UInt8>) -> Float? {
        var i = 0
        let n = text.count
        var negative = false
        if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa = 0
        var digits = 0
        var scale = 0
        var sawPoint = false
        var sawDigit = false
        while i < n {
            let c = text[i]
            if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                sawDigit = true
                if mantissa > 0 || c != UInt8(ascii: "0") { digits += 1 }
                guard digits <= 9 else { return nil }
                mantissa = mantissa * 10 + Int(c - UInt8(ascii: "0"))
                if sawPoint { scale -= 1 }
            } else if c == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return nil }
        if i < n {
            guard text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") else { return nil }
            i += 1
            var exponentNegative = false
            if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                exponentNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponent = 0
            guard i < n else { return nil }
            while i < n {
                let c = text[i]
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9"), exponent < 1000 else { return nil }
                exponent = exponent * 10 + Int(c - UInt8(ascii: "0"))
                i += 1
            }
            scale += exponentNegative ? -exponent : exponent
        }
        guard abs(scale) < powersOfTen.count, mantissa < 1 << 24 || scale == 0 else { return nil }
        let magnitude = Float(mantissa)
        let value = scale < 0 ? magnitude / powersOfTen[-scale] : magnitude * powersOfTen[scale]
        return negative ? -value : value
    }
}
