import Foundation

extension InputSubspace {
    /// The subspace spanned by the k principal directions of a network's inputs: the
    /// eigenvectors u₁ … u_k of the largest eigenvalues λ₁ ≥ … ≥ λ_k of the inputs' second
    /// moment M = XᵀX/n (uncentered, so the mean image is among them), for the network's
    /// first layer, which must be dense.
    ///
    /// `whitening` p ∈ [0, 1] scales each direction by (λ̄/λ_c)^(p/2), λ̄ the mean of the k
    /// eigenvalues: at 0 the columns are orthonormal and a unit step along u_c moves the
    /// layer's pre-activations by about √λ_c, so the dominant directions dominate any
    /// isotropic search; at 1 every direction moves them by √λ̄ alike (whitened inputs, the
    /// input-side preconditioning of K-FAC). Eigenvalues under 10⁻⁶·λ₁ are raised to that
    /// floor, so whitening never divides by a direction the data does not excite.
    ///
    /// - Parameters:
    ///   - samples: the inputs; the first `sampleLimit` rows are used.
    ///   - network: the network whose first layer moves in the subspace.
    ///   - origin: w₀, the weights at z = 0.
    ///   - components: k, at most the network's input width.
    /// - Throws: when the first layer is not dense, k is out of range, there are no samples,
    ///   or the eigendecomposition fails (non-finite inputs).
    public static func principal(
        of samples: Samples, network: Network, origin: [Float], components: Int,
        whitening: Float = 0, sampleLimit: Int = 10_000
    ) throws -> InputSubspace {
        guard let first = network.layouts.first, case .dense = first.layer else {
            throw WeightLabError(.unsupported, "a principal input subspace needs a network whose first layer is dense")
        }
        try checkDimension(origin, network.parameterCount)
        try validate("whitening", whitening, in: 0...1)
        try validateCount("basis sample limit", sampleLimit, atLeast: 1)
        let n = first.inputWidth
        guard samples.featureCount == n else {
            throw WeightLabError.shape("input width (features per sample)", expected: n, actual: samples.featureCount)
        }
        guard samples.count > 0 else { throw WeightLabError(.data, "a principal input subspace needs training samples") }
        guard (1...n).contains(components) else {
            throw WeightLabError(.specification, "components: between 1 and the network's \(n) inputs, got \(components)")
        }
        let moment = secondMoment(samples, rows: min(samples.count, sampleLimit))
        var vectors: [Double] = []
        var values: [Double] = []
        guard SymmetricEigen.decompose(moment, dimension: n, vectors: &vectors, values: &values) else {
            throw WeightLabError(.numerical, "the inputs' second-moment matrix has no eigendecomposition (non-finite inputs?)")
        }
        let order = (0..<n).sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(components)
        let floor = max(values[order.first ?? 0], 0) * 1e-6
        let kept = order.map { max(values[$0], floor) }
        let mean = kept.reduce(0, +) / Double(components)
        var basis = [Float](repeating: 0, count: n * components)
        for (c, index) in order.enumerated() {
            let scale = mean > 0 && kept[c] > 0 ? pow(mean / kept[c], Double(whitening) / 2) : 1
            // A fixed sign (largest entry positive) makes the basis independent of the solver's choice.
            let column = (0..<n).map { vectors[$0 * n + index] }
            let sign: Double = (column.max(by: { abs($0) < abs($1) }) ?? 1) < 0 ? -1 : 1
            for i in 0..<n { basis[i * components + c] = Float(sign * scale * column[i]) }
        }
        return try InputSubspace(
            origin: origin, basis: basis, components: components, inputs: n, units: first.outputWidth,
            offset: first.parameterOffset)
    }

    /// XᵀX/rows over the first `rows` samples, row-major n×n in Double, computed on one BLAS
    /// thread so the sums do not depend on the thread count.
    private static func secondMoment(_ samples: Samples, rows: Int) -> [Double] {
        let n = samples.featureCount
        var product = [Float](repeating: 0, count: n * n)
        samples.features.withUnsafeBufferPointer { x in
            product.withUnsafeMutableBufferPointer { c in
                BLAS.withThreads(1) {
                    BLAS.gemm(
                        transposeA: true, m: n, n: n, k: rows, alpha: 1 / Float(rows), a: x.baseAddress!, lda: n,
                        b: x.baseAddress!, ldb: n, beta: 0, c: c.baseAddress!, ldc: n)
                }
            }
        }
        return product.map { Double($0) }
    }
}
