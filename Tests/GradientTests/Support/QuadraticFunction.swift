import WeightLabCore

/// f(w) = ½·wᵀAw − bᵀw with a symmetric positive definite A, evaluated in Double; the test
/// problem whose gradient Aw − b every reference below recomputes independently.
final class QuadraticFunction: Objective, @unchecked Sendable {
    let matrix: [[Double]]
    let linear: [Double]
    let ledger = CostLedger()
    var dimension: Int { linear.count }
    var providesGradient: Bool { true }

    init(matrix: [[Double]], linear: [Double]) {
        self.matrix = matrix
        self.linear = linear
    }

    /// The quadratic whose minimizer is `minimizer`: b = A·minimizer.
    convenience init(matrix: [[Double]], minimizer: [Double]) {
        self.init(matrix: matrix, linear: matrix.map { row in zip(row, minimizer).reduce(0) { $0 + $1.0 * $1.1 } })
    }

    func value(_ w: [Double]) -> Double {
        var f = 0.0
        for i in 0..<dimension {
            var aw = 0.0
            for j in 0..<dimension { aw += matrix[i][j] * w[j] }
            f += 0.5 * w[i] * aw - linear[i] * w[i]
        }
        return f
    }

    func gradient(_ w: [Double]) -> [Double] {
        (0..<dimension).map { i in
            var aw = 0.0
            for j in 0..<dimension { aw += matrix[i][j] * w[j] }
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
