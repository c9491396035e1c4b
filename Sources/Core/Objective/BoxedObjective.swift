/// An objective confined to a `SearchBox` by clipping with a penalty: a point x is priced at
/// its projection P(x) onto the box, plus an exterior quadratic penalty on how far it lies out,
///
///     g(x) = f(P(x)) + (1 + |f(P(x))|) · E(x),   E(x) = Σᵢ ((xᵢ − P(x)ᵢ)/wᵢ)²
///
/// (wᵢ the box's widths). Inside the box g = f, so methods that keep their points inside
/// (reflection, resampling) never feel it; a method that steps outside learns it went too far
/// by a margin that grows with the distance and with f's own magnitude, so it is neither
/// negligible nor dominant whatever f's scale (Hansen's pycma `BoundPenalty` adapts its weight
/// instead; Michalewicz & Schoenauer, 1996, survey the fixed exterior penalties). g ≥ f(P(x)),
/// so the projection of any point is at least as good as the point's price says.
///
/// The gradient is ∇g = (1 + s·E)·Jᵀ∇f(P(x)) + (1 + |f|)·∇E with s = sign f, J the projection's
/// Jacobian (1 on coordinates inside, 0 on clipped ones) and ∇Eᵢ = 2(xᵢ − P(x)ᵢ)/wᵢ².
/// Cost: the inner objective's, nothing more.
public final class BoxedObjective: Objective {
    /// The objective priced at the projections.
    public let inner: any Objective
    /// The box.
    public let box: SearchBox

    public var dimension: Int { inner.dimension }
    public var ledger: CostLedger { inner.ledger }
    public var providesGradient: Bool { inner.providesGradient }

    /// `inner` confined to `box`, which must have `inner.dimension` coordinates.
    public init(_ inner: any Objective, box: SearchBox) throws {
        guard box.dimension == inner.dimension else {
            throw WeightLabError.shape("search box", expected: inner.dimension, actual: box.dimension)
        }
        self.inner = inner
        self.box = box
    }

    public func loss(at weights: [Float], on batch: Samples) throws -> Float {
        try checkDimension(weights, dimension)
        let value = try inner.loss(at: box.clipped(weights), on: batch)
        return penalized(value, excess: excess(weights))
    }

    public func lossAndGradient(at weights: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float {
        try checkDimension(weights, dimension)
        let projection = box.clipped(weights)
        let value = try inner.lossAndGradient(at: projection, on: batch, into: &gradient, rng: &rng)
        let e = excess(weights)
        let sign: Double = value < 0 ? -1 : 1
        let inward = 1 + sign * e
        let outward = 1 + Double(abs(value))
        for i in 0..<dimension {
            if weights[i] != projection[i] {
                let w = Double(box.width(i))
                gradient[i] = Float(outward * 2 * Double(weights[i] - projection[i]) / (w * w))
            } else {
                gradient[i] = Float(inward * Double(gradient[i]))
            }
        }
        return penalized(value, excess: e)
    }

    public func losses(of population: PopulationMatrix, on batch: Samples, into losses: inout [Float]) throws {
        guard population.dimension == dimension else {
            throw WeightLabError.shape("population dimension", expected: dimension, actual: population.dimension)
        }
        let d = dimension
        var excesses = [Double](repeating: 0, count: population.count)
        population.values.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress, d > 0 else { return }
            for k in 0..<population.count { excesses[k] = box.squaredExcess(base + k * d, count: d) }
        }
        // Inside the box g = f: the population goes to the inner objective uncopied.
        var projected = population
        if excesses.contains(where: { $0 > 0 }) {
            projected.values.withUnsafeMutableBufferPointer { all in
                guard let base = all.baseAddress, d > 0 else { return }
                for k in 0..<population.count where excesses[k] > 0 { box.clip(base + k * d, count: d) }
            }
        }
        try inner.losses(of: projected, on: batch, into: &losses)
        for k in 0..<population.count where excesses[k] > 0 { losses[k] = penalized(losses[k], excess: excesses[k]) }
    }

    private func excess(_ weights: [Float]) -> Double {
        weights.withUnsafeBufferPointer { w in w.baseAddress.map { box.squaredExcess($0, count: dimension) } ?? 0 }
    }

    private func penalized(_ value: Float, excess e: Double) -> Float {
        guard e > 0 else { return value }
        return Float(Double(value) + (1 + Double(abs(value))) * e)
    }
}
