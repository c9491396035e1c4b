import Foundation
import WeightLabCore

/// Standard normal draws by the ziggurat method (Marsaglia & Tsang, 2000, "The Ziggurat
/// Method for Generating Random Variables", J. Stat. Softw. 5(8)), 128 layers.
///
/// About 99% of draws cost one 64-bit random word, a comparison and a multiplication, which
/// is several times cheaper than Box–Muller's logarithm and cosine: population methods draw a
/// normal per weight and individual every generation (1.27 million for 50 × 25,450), and the
/// operators must stay cheap next to the fitness evaluation. Unlike the original RNOR, the
/// layer index comes from bits that are independent of the 32-bit value it scales.
public enum GaussianNoise {
    /// One standard normal draw.
    @inline(__always)
    public static func next(_ rng: inout RandomStream) -> Float {
        tables.kwf.withUnsafeBufferPointer { draw($0, &rng) }
    }

    /// Fills `buffer` with draws of N(0, standardDeviation²).
    public static func fill(_ buffer: UnsafeMutableBufferPointer<Float>, standardDeviation: Float = 1, rng: inout RandomStream) {
        var local = rng  // a local copy keeps the generator's state in registers
        defer { rng = local }
        tables.kwf.withUnsafeBufferPointer { t in
            for i in buffer.indices { buffer[i] = standardDeviation * draw(t, &local) }
        }
    }

    /// Adds a draw of N(0, standardDeviation²) to every element of `buffer`.
    public static func add(to buffer: UnsafeMutableBufferPointer<Float>, standardDeviation: Float, rng: inout RandomStream) {
        var local = rng
        defer { rng = local }
        tables.kwf.withUnsafeBufferPointer { t in
            for i in buffer.indices { buffer[i] += standardDeviation * draw(t, &local) }
        }
    }

    private static let tables = ZigguratTables()

    /// The fast path; `t` holds the layer thresholds, widths and densities interleaved.
    @inline(__always)
    private static func draw(_ t: UnsafeBufferPointer<Float>, _ rng: inout RandomStream) -> Float {
        let bits = rng.next()
        let hz = Int32(truncatingIfNeeded: bits)
        let layer = Int(truncatingIfNeeded: bits >> 32) & 127
        if Float(hz.magnitude) < t[3 * layer] { return Float(hz) * t[3 * layer + 1] }
        // The generator goes in and out by value so its state never needs an address and
        // stays in registers on the fast path.
        let (x, next) = slowDraw(hz, layer, t, rng)
        rng = next
        return x
    }

    /// The wedges and the tail (Marsaglia & Tsang's `nfix`).
    @inline(never)
    private static func slowDraw(_ firstHz: Int32, _ firstLayer: Int, _ t: UnsafeBufferPointer<Float>, _ stream: RandomStream) -> (Float, RandomStream) {
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
                return (Float(hz > 0 ? r + tail : -r - tail), rng)
            }
            let lower = Double(t[3 * layer + 2])
            let upper = Double(t[3 * (layer - 1) + 2])
            if lower + rng.uniformDouble() * (upper - lower) < exp(-0.5 * x * x) { return (Float(x), rng) }
            let bits = rng.next()
            hz = Int32(truncatingIfNeeded: bits)
            layer = Int(truncatingIfNeeded: bits >> 32) & 127
            if Float(hz.magnitude) < t[3 * layer] { return (Float(hz) * t[3 * layer + 1], rng) }
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
