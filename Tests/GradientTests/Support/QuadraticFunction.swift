import WeightLabCore

/// f(w) = ½·wᵀAw − bᵀw with a symmetric positive definite A, evaluated in Double; the test
/// problem whose gradient Aw − b every reference below recomputes independently. With
/// `copies` > 1 the function is block-diagonal: that many independent copies of the quadratic
/// side by side (weights 0..<k, k..<2k, …), so each block follows the small problem's
/// trajectory while an update rule sees a vector wide enough to split across threads.
final class QuadraticFunction: Objective, @unchecked Sendable {
    let matrix: [[Double]]
    let linear: [Double]
    let copies: Int
    /// `matrix` row-major, for speed in debug builds.
    private let flat: [Double]
    let ledger = CostLedger()
    var dimension: Int { linear.count * copies }
    var providesGradient: Bool { true }

    init(matrix: [[Double]], linear: [Double], copies: Int = 1) {
        self.matrix = matrix
        self.linear = linear
        self.copies = copies
        self.flat = Array(matrix.joined())
    }

    /// The quadratic whose minimizer is `minimizer`: b = A·minimizer.
    convenience init(matrix: [[Double]], minimizer: [Double], copies: Int = 1) {
        self.init(matrix: matrix, linear: matrix.map { row in zip(row, minimizer).reduce(0) { $0 + $1.0 * $1.1 } }, copies: copies)
    }

    func value(_ w: [Double]) -> Double {
        let k = linear.count
        var f = 0.0
        for block in 0..<copies {
            let o = block * k
            for i in 0..<k {
                var aw = 0.0
                for j in 0..<k { aw += flat[i * k + j] * w[o + j] }
                f += 0.5 * w[o + i] * aw - linear[i] * w[o + i]
            }
        }
        return f
    }

    func gradient(_ w: [Double]) -> [Double] {
        let k = linear.count
        return (0..<dimension).map { index in
            let (o, i) = (index - index % k, index % k)
            var aw = 0.0
            for j in 0..<k { aw += flat[i * k + j] * w[o + j] }
            return aw - linear[i]
        }
    }

    func loss(at weights: [Float], on batch: Samples) throws -> Float {
        ledger.charge(1)
        return Float(value(weights.map(Double.init)))
    }

    func lossAndGradient(at weights: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float {
        ledger.charge(3)
        let w = weights.map(Double.init)
        let g = self.gradient(w)
        if gradient.count != dimension { gradient = [Float](repeating: 0, count: dimension) }
        for i in 0..<dimension { gradient[i] = Float(g[i]) }
        return Float(value(w))
    }

    /// A problem over this function starting anywhere (the tests pass the start explicitly).
    func problem() throws -> Problem {
        let n = dimension
        return try Problem(objective: self) { _ in [Float](repeating: 0, count: n) }
    }
}
