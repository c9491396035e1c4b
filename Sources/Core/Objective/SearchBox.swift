/// A search domain: a lower and an upper bound per coordinate, lᵢ < uᵢ, both finite.
///
/// A problem that declares one (`Problem.box`) is searched inside it: starting points are drawn
/// uniformly in it, every method keeps its incumbent inside, and step sizes default to a share
/// of its width (docs/domains.md). The three repairs methods choose from live here:
/// `clip` (projection), `reflect` (mirror at the violated bound) and `resample` (a uniform
/// draw of the violating coordinate).
public struct SearchBox: Codable, Sendable, Equatable {
    /// lᵢ.
    public let lower: [Float]
    /// uᵢ.
    public let upper: [Float]

    /// A box with bounds per coordinate; throws unless both have the same length and every
    /// lᵢ < uᵢ is finite.
    public init(lower: [Float], upper: [Float]) throws {
        guard lower.count == upper.count else {
            throw WeightLabError.shape("box upper bounds", expected: lower.count, actual: upper.count)
        }
        for i in lower.indices {
            guard lower[i].isFinite, upper[i].isFinite, lower[i] < upper[i] else {
                throw WeightLabError(.parameter, "box coordinate \(i): bounds [\(lower[i]), \(upper[i])] must be finite with low < high")
            }
        }
        self.lower = lower
        self.upper = upper
    }

    /// Bounds already known to be valid (the standard domains).
    init(checkedLower lower: [Float], upper: [Float]) {
        self.lower = lower
        self.upper = upper
    }

    /// The same pair [`low`, `high`] for each of `dimension` coordinates.
    public init(low: Float, high: Float, dimension: Int) throws {
        try self.init(lower: [Float](repeating: low, count: dimension), upper: [Float](repeating: high, count: dimension))
    }

    /// The number of coordinates.
    public var dimension: Int { lower.count }

    /// uᵢ − lᵢ.
    public func width(_ i: Int) -> Float { upper[i] - lower[i] }

    /// The mean width over the coordinates, the scale that scalar step sizes are a share of.
    public var meanWidth: Float {
        guard dimension > 0 else { return 0 }
        return Float(lower.indices.reduce(0.0) { $0 + Double(width($1)) } / Double(dimension))
    }

    /// Whether every coordinate of `x` lies in [lᵢ, uᵢ].
    public func contains(_ x: [Float]) -> Bool {
        x.count == dimension && x.indices.allSatisfy { x[$0] >= lower[$0] && x[$0] <= upper[$0] }
    }

    /// `x` projected onto the box: each coordinate clamped to [lᵢ, uᵢ] (a NaN goes to lᵢ).
    public func clipped(_ x: [Float]) -> [Float] {
        var y = x
        y.withUnsafeMutableBufferPointer { b in
            if let base = b.baseAddress { clip(base, count: min(b.count, dimension)) }
        }
        return y
    }

    /// Clamps `count` coordinates at `x` into the box.
    public func clip(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = Self.clamp(x[i], lower[i], upper[i]) }
    }

    /// Mirrors each coordinate at `x` that left the box back in at the bound it crossed,
    /// folding as often as needed: t = (xᵢ − lᵢ) mod 2wᵢ, xᵢ ← lᵢ + (t ≤ wᵢ ? t : 2wᵢ − t).
    /// Non-finite coordinates go to the box's center.
    public func reflect(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count where x[i] < lower[i] || x[i] > upper[i] || !x[i].isFinite {
            let l = Double(lower[i])
            let w = Double(upper[i]) - l
            guard x[i].isFinite else {
                x[i] = Float(l + w / 2)
                continue
            }
            var t = (Double(x[i]) - l).truncatingRemainder(dividingBy: 2 * w)
            if t < 0 { t += 2 * w }
            x[i] = Self.clamp(Float(l + (t <= w ? t : 2 * w - t)), lower[i], upper[i])
        }
    }

    /// Replaces each coordinate at `x` that left the box by a uniform draw in [lᵢ, uᵢ].
    public func resample(_ x: UnsafeMutablePointer<Float>, count: Int, rng: inout RandomStream) {
        for i in 0..<count where !(x[i] >= lower[i] && x[i] <= upper[i]) {
            x[i] = Self.clamp(rng.uniform(lower[i], upper[i]), lower[i], upper[i])
        }
    }

    /// A point drawn uniformly in the box.
    public func uniformPoint(rng: inout RandomStream) -> [Float] {
        lower.indices.map { Self.clamp(rng.uniform(lower[$0], upper[$0]), lower[$0], upper[$0]) }
    }

    /// Σ ((xᵢ − P(x)ᵢ)/wᵢ)²: how far `x` lies outside, in widths (0 inside).
    public func squaredExcess(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var total = 0.0
        for i in 0..<count {
            let excess = Double(x[i] - Self.clamp(x[i], lower[i], upper[i])) / Double(width(i))
            total += excess * excess
        }
        return total
    }

    @inline(__always)
    static func clamp(_ v: Float, _ l: Float, _ u: Float) -> Float {
        v >= l ? (v <= u ? v : u) : l
    }
}
