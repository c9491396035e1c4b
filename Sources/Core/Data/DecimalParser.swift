/// Parses a decimal number written in ASCII bytes into a correctly rounded Float.
///
/// The common case — an optional sign, at most 15 significant digits with an optional point,
/// and a decimal exponent that leaves a power of ten up to 10²² — is Clinger's fast path
/// ("How to read floating point numbers accurately", PLDI 1990): the digits as an exact
/// Double integer m < 2⁵³, times or divided by the exact Double 10^k, rounded once. That Double
/// d is then rounded to Float. Double rounding can only go wrong when d is exactly halfway
/// between two Floats (the true value lies within half a Double ulp of d, and a Float
/// midpoint is itself a Double), so that case, values outside the normal Float range, and
/// every other spelling (more digits, large exponents, `nan`, `inf`, hexadecimal) go to the
/// standard library's parser: results are always those of `Float(String)`.
///
/// A parser holds its table of powers of ten; make one per file, not per number.
struct DecimalParser {
    /// 10⁰ ... 10²², all exact in Double (5²² < 2⁵³).
    private let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { value, _ in value * 10 } }

    /// The number spelled by `text` (no surrounding spaces), or nil when it is not a number.
    func parse(_ text: UnsafeBufferPointer<UInt8>) -> Float? {
        fastPath(text) ?? Float(String(decoding: text, as: UTF8.self))
    }

    private func fastPath(_ text: UnsafeBufferPointer<UInt8>) -> Float? {
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
                guard digits <= 15 else { return nil }
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
        guard abs(scale) < powersOfTen.count else { return nil }
        let magnitude = Double(mantissa)
        let value = scale < 0 ? magnitude / powersOfTen[-scale] : magnitude * powersOfTen[scale]
        guard value == 0 || (value >= Double(Float.leastNormalMagnitude) && value <= Double(Float.greatestFiniteMagnitude)) else {
            return nil
        }
        // The 29 low significand bits of a Double that lies exactly halfway between two Floats.
        let belowFloatPrecision: UInt64 = 1 << 29 - 1
        guard value.bitPattern & belowFloatPrecision != 1 << 28 else { return nil }
        let result = Float(value)
        return negative ? -result : result
    }
}
