import CGSL

/// Thin, named wrappers over OpenBLAS's CBLAS for the products the network needs.
/// All matrices are row-major and dense; `ld` arguments are the row strides.
public enum BLAS {
    /// C = alpha·op(A)·op(B) + beta·C, with op(X) = Xᵀ when the matching flag is set.
    /// Shapes: op(A) is m×k, op(B) is k×n, C is m×n.
    @inline(__always)
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y = alpha·op(A)·x + beta·y for a row-major m×n matrix A.
    @inline(__always)
    public static func gemv(
        transpose: Bool = false, m: Int, n: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
        beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// y += alpha·x over `count` elements.
    @inline(__always)
    public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(Int32(count), alpha, x, 1, y, 1)
    }

    /// The dot product of two `count`-element vectors.
    @inline(__always)
    public static func dot(count: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(Int32(count), x, 1, y, 1)
    }

    /// The number of threads OpenBLAS uses for one call now. Setting it sets the count outside
    /// `withThreads` regions (applied once none is active; see `BLASThreadGate`).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { BLASThreadGate.shared.setDefault(max(1, newValue)) }
    }

    /// Runs `body` with OpenBLAS limited to `threads` threads, restoring the previous count after.
    /// Population evaluation parallelizes across individuals and runs each product on one
    /// thread, so the two levels of threading never oversubscribe the cores. Regions on other
    /// threads that want another count wait for this one (`BLASThreadGate`); a region nested in
    /// another runs at the outer one's count.
    public static func withThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        try BLASThreadGate.shared.withThreads(max(1, threads), body)
    }

    /// The kernel OpenBLAS runs (`openblas_get_corename`, e.g. "Haswell") and its build
    /// configuration (`openblas_get_config`), for benchmark lines: OPENBLAS_CORETYPE can pin an
    /// older kernel than the machine's own.
    public static var kernel: (core: String, configuration: String) {
        (openblas_get_corename().map { String(cString: $0) } ?? "unknown", openblas_get_config().map { String(cString: $0) } ?? "unknown")
    }
}
