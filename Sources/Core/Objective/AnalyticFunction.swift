import Foundation

/// Classic benchmark functions with known optima, in any dimension, with exact gradients.
/// Values and gradients are computed in Double and returned as Float.
/// Cost: 1 ledger unit per value, 2 more per gradient.
public final class AnalyticFunction: Objective {
    /// Which function.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        /// Σ xᵢ²; minimum 0 at the origin.
        case sphere
        /// Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²; minimum 0 at (1, …, 1) (Rosenbrock, 1960).
        case rosenbrock
        /// 10n + Σ xᵢ² − 10 cos(2πxᵢ); minimum 0 at the origin, many local minima (Rastrigin, 1974).
        case rastrigin
        /// −20 exp(−0.2 √(Σxᵢ²/n)) − exp(Σ cos(2πxᵢ)/n) + 20 + e; minimum 0 at the origin (Ackley, 1987).
        case ackley
        /// 1 + Σ xᵢ²/4000 − Π cos(xᵢ/√i); minimum 0 at the origin (Griewank, 1981).
        case griewank
        /// ½ Σ xᵢ⁴ − 16xᵢ² + 5xᵢ; minimum −39.16617·n at xᵢ = −2.903534 (Styblinski & Tang, 1990).
        case styblinskiTang = "styblinski-tang"
    }

    public let kind: Kind
    public let dimension: Int
    public let ledger: CostLedger
    public var providesGradient: Bool { true }

    /// The function `kind` in `dimension` variables, charging `ledger`.
    public init(_ kind: Kind, dimension: Int, ledger: CostLedger = CostLedger()) throws {
        try validateCount("dimension", dimension, atLeast: kind == .rosenbrock ? 2 : 1)
        self.kind = kind
        self.dimension = dimension
        self.ledger = ledger
    }

    /// The global minimizer.
    public var minimizer: [Float] {
        switch kind {
        case .rosenbrock: [Float](repeating: 1, count: dimension)
        case .styblinskiTang: [Float](repeating: -2.903534, count: dimension)
        default: [Float](repeating: 0, count: dimension)
        }
    }

    /// The global minimum value.
    public var minimum: Float {
        kind == .styblinskiTang ? Float(-39.16616570377142 * Double(dimension)) : 0
    }

    /// The standard search domain, the same interval for every coordinate: [−5.12, 5.12] for
    /// sphere and Rastrigin, [−32.768, 32.768] for Ackley, [−600, 600] for Griewank, [−5, 10]
    /// for Rosenbrock, [−5, 5] for Styblinski–Tang (Surjanovic & Bingham's Virtual Library of
    /// Simulation Experiments; Jamil & Yang, 2013).
    public var standardDomain: (low: Float, high: Float) {
        switch kind {
        case .sphere, .rastrigin: (-5.12, 5.12)
        case .ackley: (-32.768, 32.768)
        case .griewank: (-600, 600)
        case .rosenbrock: (-5, 10)
        case .styblinskiTang: (-5, 5)
        }
    }

    /// The standard domain as a box over every coordinate.
    public var standardBox: SearchBox {
        SearchBox(checkedLower: [Float](repeating: standardDomain.low, count: dimension),
                  upper: [Float](repeating: standardDomain.high, count: dimension))
    }

    /// The customary starting point: (−1.2, 1, −1.2, 1, …) for Rosenbrock, 3 in every
    /// coordinate for the others (away from the optimum, inside the usual search domain).
    public var customaryStart: [Float] {
        switch kind {
        case .rosenbrock: (0..<dimension).map { $0 % 2 == 0 ? -1.2 : 1 }
        case .styblinskiTang: [Float](repeating: 0, count: dimension)
        default: [Float](repeating: 3, count: dimension)
        }
    }

    public func loss(at weights: [Float], on batch: Samples) throws -> Float {
        try checkDimension(weights, dimension)
        ledger.charge(1)
        return Float(evaluate(weights, gradient: nil))
    }

    public func lossAndGradient(at weights: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float {
        try checkDimension(weights, dimension)
        ledger.charge(3)
        var g = [Double](repeating: 0, count: dimension)
        let value = evaluate(weights, gradient: &g)
        if gradient.count != dimension { gradient = [Float](repeating: 0, count: dimension) }
        for i in 0..<dimension { gradient[i] = Float(g[i]) }
        return Float(value)
    }

    /// The value at `w`, and the gradient into `g` when given.
    private func evaluate(_ w: [Float], gradient g: UnsafeMutablePointer<[Double]>?) -> Double {
        let x = w.map(Double.init)
        let n = Double(dimension)
        switch kind {
        case .sphere:
            if let g { for i in x.indices { g.pointee[i] = 2 * x[i] } }
            return x.reduce(0) { $0 + $1 * $1 }
        case .rosenbrock:
            var f = 0.0
            for i in 0..<(dimension - 1) {
                let a = x[i + 1] - x[i] * x[i]
                let b = 1 - x[i]
                f += 100 * a * a + b * b
                if let g {
                    g.pointee[i] += -400 * x[i] * a - 2 * b
                    g.pointee[i + 1] += 200 * a
                }
            }
            return f
        case .rastrigin:
            var f = 10 * n
            for i in x.indices {
                f += x[i] * x[i] - 10 * cos(2 * .pi * x[i])
                if let g { g.pointee[i] = 2 * x[i] + 20 * .pi * sin(2 * .pi * x[i]) }
            }
            return f
        case .ackley:
            let sumSquares = x.reduce(0) { $0 + $1 * $1 }
            let sumCos = x.reduce(0) { $0 + cos(2 * .pi * $1) }
            let r = (sumSquares / n).squareRoot()
            let e1 = exp(-0.2 * r)
            let e2 = exp(sumCos / n)
            if let g {
                for i in x.indices {
                    let radial = r > 0 ? 4 * e1 * x[i] / (n * r) : 0
                    g.pointee[i] = radial + e2 * 2 * .pi * sin(2 * .pi * x[i]) / n
                }
            }
            return -20 * e1 - e2 + 20 + M_E
        case .griewank:
            var product = 1.0
            var cosines = [Double](repeating: 0, count: dimension)
            for i in x.indices {
                cosines[i] = cos(x[i] / Double(i + 1).squareRoot())
                product *= cosines[i]
            }
            if let g {
                for i in x.indices {
                    let root = Double(i + 1).squareRoot()
                    var others = 1.0
                    for j in x.indices where j != i { others *= cosines[j] }
                    g.pointee[i] = x[i] / 2000 + others * sin(x[i] / root) / root
                }
            }
            return 1 + x.reduce(0) { $0 + $1 * $1 } / 4000 - product
        case .styblinskiTang:
            var f = 0.0
            for i in x.indices {
                let v = x[i]
                f += v * v * v * v - 16 * v * v + 5 * v
                if let g { g.pointee[i] = 2 * v * v * v - 16 * v + 2.5 }
            }
            return f / 2
        }
    }
}
