@preconcurrency import CGSL

/// The eigendecomposition of a real symmetric matrix, C = B·diag(λ)·Bᵀ, by GSL's
/// `gsl_eigen_symmv` (Householder tridiagonalization and implicit symmetric QR).
package enum SymmetricEigen {
    /// Decomposes the row-major n×n symmetric `matrix` (its upper triangle is read); writes the
    /// eigenvectors as the columns of the row-major `vectors` and the eigenvalues into `values`.
    /// Returns false when GSL fails (non-finite input).
    package static func decompose(_ matrix: [Double], dimension n: Int, vectors: inout [Double], values: inout [Double]) -> Bool {
        guard n > 0, matrix.count == n * n, matrix.allSatisfy(\.isFinite) else { return false }
        GSLErrors.turnOffAbortingHandler()
        guard let a = gsl_matrix_alloc(n, n), let evec = gsl_matrix_alloc(n, n),
              let eval = gsl_vector_alloc(n), let work = gsl_eigen_symmv_alloc(n) else { return false }
        defer {
            gsl_matrix_free(a)
            gsl_matrix_free(evec)
            gsl_vector_free(eval)
            gsl_eigen_symmv_free(work)
        }
        for i in 0..<n {
            for j in 0..<n {
                // Symmetrize from the upper triangle: GSL reads the lower one.
                gsl_matrix_set(a, i, j, i <= j ? matrix[i * n + j] : matrix[j * n + i])
            }
        }
        // One BLAS thread: GSL's internal BLAS calls then sum in a fixed order, so the result
        // does not depend on the thread count.
        let status = BLAS.withThreads(1) { gsl_eigen_symmv(a, eval, evec, work) }
        guard Int(status) == GSL_SUCCESS else { return false }
        if vectors.count != n * n { vectors = [Double](repeating: 0, count: n * n) }
        if values.count != n { values = [Double](repeating: 0, count: n) }
        for i in 0..<n {
            values[i] = gsl_vector_get(eval, i)
            for j in 0..<n { vectors[i * n + j] = gsl_matrix_get(evec, i, j) }
        }
        return true
    }
}
