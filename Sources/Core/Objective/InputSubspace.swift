/// A linear reparameterization of a network's weights in which the first dense layer moves
/// only within a few directions of its input space:
///
///     w(z) = w₀ + B·z,   W₁(z) = W₁⁰ + U·Z,   every other weight w⁰ + its own coordinate
///
/// where U (inputs × k) holds k input-space directions as columns and Z (k × units) is the
/// first part of z. The first layer's inputs·units weights become k·units coordinates; the
/// layer's bias and all later layers keep one coordinate per weight. For a 784-32-10 network
/// and k = 64 that is 2,410 coordinates instead of 25,450.
///
/// Why: the gradient of the loss with respect to W₁ is Xᵀ·δ, a combination of the training
/// inputs, so W₁ only ever needs to move within the span of the data; images span far fewer
/// directions than they have pixels. A gradient-free search spends its evaluations on every
/// coordinate alike, so removing the directions the data never excites raises its progress
/// per evaluation roughly in proportion (see `principal(of:...)` and docs/hybrid.md).
///
/// Layout of z: Z row-major (k × units), then the weights before the first layer's weight
/// matrix, then those after it, in the network's order.
public struct InputSubspace: Codable, Sendable, Equatable {
    /// w₀, the weights at z = 0.
    public let origin: [Float]
    /// U, row-major inputs × components.
    public let basis: [Float]
    /// k, the directions W₁ moves in.
    public let components: Int
    /// Rows of W₁ (the network's input width).
    public let inputs: Int
    /// Columns of W₁ (the first layer's units).
    public let units: Int
    /// Offset of W₁ in the flat weight vector.
    public let offset: Int

    /// The number of coordinates z has.
    public var dimension: Int { origin.count - inputs * units + components * units }

    /// A subspace around `origin` for the dense layer at `offset` with the given `basis`
    /// (inputs × components, row-major, with mutually orthogonal, non-zero columns).
    public init(origin: [Float], basis: [Float], components: Int, inputs: Int, units: Int, offset: Int) throws {
        try validateCount("subspace components", components, atLeast: 1)
        guard components <= inputs else {
            throw WeightLabError(.specification, "subspace components: at most the layer's \(inputs) inputs, got \(components)")
        }
        let (basisSize, basisOverflow) = inputs.multipliedReportingOverflow(by: components)
        guard !basisOverflow, basis.count == basisSize else {
            throw WeightLabError(.shape, "subspace basis: \(basis.count) values for \(inputs) inputs × \(components) components")
        }
        let (layerSize, layerOverflow) = inputs.multipliedReportingOverflow(by: units)
        guard !layerOverflow, units >= 0, offset >= 0, layerSize <= origin.count, offset <= origin.count - layerSize else {
            throw WeightLabError(.shape, "subspace layer: \(inputs) × \(units) weights at offset \(offset) do not fit in \(origin.count) weights")
        }
        self.origin = origin
        self.basis = basis
        self.components = components
        self.inputs = inputs
        self.units = units
        self.offset = offset
    }

    private enum CodingKeys: String, CodingKey { case origin, basis, components, inputs, units, offset }

    /// Decodes a saved subspace, checked as `init` checks one.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            origin: try c.decode([Float].self, forKey: .origin), basis: try c.decode([Float].self, forKey: .basis),
            components: try c.decode(Int.self, forKey: .components), inputs: try c.decode(Int.self, forKey: .inputs),
            units: try c.decode(Int.self, forKey: .units), offset: try c.decode(Int.self, forKey: .offset))
    }

    private var blockEnd: Int { offset + inputs * units }
    private var blockCoordinates: Int { components * units }

    /// Writes w(z) into `weights` (origin.count entries) for the `dimension` coordinates `z`.
    public func weights(at z: UnsafePointer<Float>, into weights: UnsafeMutablePointer<Float>) {
        origin.withUnsafeBufferPointer { w0 in
            basis.withUnsafeBufferPointer { u in
                weights.update(from: w0.baseAddress!, count: origin.count)
                BLAS.gemm(
                    m: inputs, n: units, k: components, a: u.baseAddress!, lda: components,
                    b: z, ldb: units, beta: 1, c: weights + offset, ldc: units)
                let rest = z + blockCoordinates
                for i in 0..<offset { weights[i] += rest[i] }
                for i in blockEnd..<origin.count { weights[i] += rest[i - inputs * units + offset] }
            }
        }
    }

    /// w(z) for the `dimension` coordinates `z`.
    public func weights(at z: [Float]) -> [Float] {
        var w = [Float](repeating: 0, count: origin.count)
        z.withUnsafeBufferPointer { zp in
            w.withUnsafeMutableBufferPointer { weights(at: zp.baseAddress!, into: $0.baseAddress!) }
        }
        return w
    }

    /// The gradient with respect to z of a loss whose gradient with respect to w is `gradient`
    /// (the chain rule, Bᵀ·g: Uᵀ·G₁ for Z, the other entries unchanged).
    public func pullBack(_ gradient: UnsafePointer<Float>, into result: UnsafeMutablePointer<Float>) {
        basis.withUnsafeBufferPointer { u in
            BLAS.gemm(
                transposeA: true, m: components, n: units, k: inputs, a: u.baseAddress!, lda: components,
                b: gradient + offset, ldb: units, beta: 0, c: result, ldc: units)
        }
        let rest = result + blockCoordinates
        for i in 0..<offset { rest[i] = gradient[i] }
        for i in blockEnd..<origin.count { rest[i - inputs * units + offset] = gradient[i] }
    }

    /// The coordinates of the point of the subspace closest to `weights` (least squares:
    /// Z = (UᵀU)⁻¹·Uᵀ·(W₁ − W₁⁰), exact for weights inside the subspace). Used to map draws
    /// of the network's initializer into the subspace.
    public func coordinates(of weights: [Float]) -> [Float] {
        var difference = weights
        for i in 0..<difference.count { difference[i] -= origin[i] }
        var z = [Float](repeating: 0, count: dimension)
        difference.withUnsafeBufferPointer { d in
            z.withUnsafeMutableBufferPointer { pullBack(d.baseAddress!, into: $0.baseAddress!) }
        }
        let norms = columnSquaredNorms()
        for c in 0..<components {
            for j in 0..<units { z[c * units + j] /= norms[c] }
        }
        return z
    }

    /// ‖u_c‖² for every column of U (orthogonal columns make UᵀU this diagonal).
    private func columnSquaredNorms() -> [Float] {
        var norms = [Float](repeating: 0, count: components)
        for i in 0..<inputs {
            for c in 0..<components { norms[c] += basis[i * components + c] * basis[i * components + c] }
        }
        return norms
    }
}
