import Foundation
import WeightLabEvolutionary

/// CMA-ES's default strategy parameters, written out here from Hansen's tutorial
/// (arXiv:1604.00772, 2016, Table 1, eqs. 49–58) so the step-level tests do not read them
/// from `CMAParameters`. With `separable`, c₁ and c_μ are scaled by (n + 2)/3 (c_μ bounded by
/// 1 − c₁) and only the μ positive weights are kept (Ros & Hansen, 2008), as `SeparableCMAES`
/// documents.
struct CMAReferenceConstants {
    let n: Int
    let lambda: Int
    let mu: Int
    /// λ weights, best first: positive ones summing to 1, then the active (negative) tail.
    let weights: [Double]
    let muEff: Double
    let cc: Double
    let cs: Double
    let c1: Double
    let cmu: Double
    let ds: Double
    let chiN: Double

    init(n: Int, lambda: Int, separable: Bool = false) {
        let N = Double(n)
        let mu = lambda / 2
        let prime = (1...lambda).map { log((Double(lambda) + 1) / 2) - log(Double($0)) }
        let sumPositive = prime[0..<mu].reduce(0, +)
        let sumPositiveSquares = prime[0..<mu].reduce(0) { $0 + $1 * $1 }
        let muEff = sumPositive * sumPositive / sumPositiveSquares
        let sumNegative = prime[mu...].reduce(0) { $0 + abs($1) }
        let sumNegativeSquares = prime[mu...].reduce(0) { $0 + $1 * $1 }
        let muEffMinus = sumNegative * sumNegative / sumNegativeSquares

        let cc = (4 + muEff / N) / (N + 4 + 2 * muEff / N)
        let cs = (muEff + 2) / (N + muEff + 5)
        let alphaCov = 2.0
        var c1 = alphaCov / ((N + 1.3) * (N + 1.3) + muEff)
        var cmu = min(1 - c1, alphaCov * (muEff - 2 + 1 / muEff) / ((N + 2) * (N + 2) + alphaCov * muEff / 2))
        if separable {
            c1 *= (N + 2) / 3
            cmu = min(1 - c1, cmu * (N + 2) / 3)
        }
        var weights = prime[0..<mu].map { $0 / sumPositive }
        if separable {
            weights += [Double](repeating: 0, count: lambda - mu)
        } else {
            let alphaMuMinus = 1 + c1 / cmu
            let alphaMuEffMinus = 1 + 2 * muEffMinus / (muEff + 2)
            let alphaPosDefMinus = (1 - c1 - cmu) / (N * cmu)
            let alpha = min(alphaMuMinus, alphaMuEffMinus, alphaPosDefMinus)
            weights += prime[mu...].map { alpha * $0 / sumNegative }
        }
        self.n = n
        self.lambda = lambda
        self.mu = mu
        self.weights = weights
        self.muEff = muEff
        self.cc = cc
        self.cs = cs
        self.c1 = c1
        self.cmu = cmu
        self.ds = 1 + 2 * max(0, ((muEff - 1) / (N + 1)).squareRoot() - 1) + cs
        self.chiN = N.squareRoot() * (1 - 1 / (4 * N) + 1 / (21 * N * N))
    }

    /// h_σ of generation g (0-based): 1 when ‖p_σ‖/√(1 − (1 − c_σ)^(2(g+1))) < (1.4 + 2/(n + 1))·E‖N(0, I)‖.
    func hSigma(pathNorm: Double, generation: Int) -> Double {
        let bound = (1.4 + 2 / (Double(n) + 1)) * chiN
        return pathNorm / (1 - pow(1 - cs, 2 * Double(generation + 1))).squareRoot() < bound ? 1 : 0
    }

    /// The λ indices ranked by `fitness`, best (lowest) first.
    func ranking(_ fitness: [Float]) -> [Int] {
        (0..<lambda).sorted { fitness[$0] < fitness[$1] }
    }

    /// p_σ ← (1 − c_σ)p_σ + √(c_σ(2 − c_σ)μ_eff)·s for the whitened step s (C^(−1/2)⟨y⟩, or ⟨z⟩ when C is diagonal).
    func nextConjugatePath(_ path: [Double], whitened s: [Double]) -> [Double] {
        path.indices.map { (1 - cs) * path[$0] + (cs * (2 - cs) * muEff).squareRoot() * s[$0] }
    }

    /// p_c ← (1 − c_c)p_c + h_σ√(c_c(2 − c_c)μ_eff)·⟨y⟩.
    func nextEvolutionPath(_ path: [Double], h: Double, yw: [Double]) -> [Double] {
        path.indices.map { (1 - cc) * path[$0] + h * (cc * (2 - cc) * muEff).squareRoot() * yw[$0] }
    }

    /// σ ← σ·exp((c_σ/d_σ)(‖p_σ‖/E‖N(0, I)‖ − 1)).
    func nextSigma(_ sigma: Double, pathNorm: Double) -> Double {
        sigma * exp(cs / ds * (pathNorm / chiN - 1))
    }
}

/// The distribution a generation starts from, as the step tests recompute it: C is row-major
/// n×n for CMA-ES and its diagonal c for sep-CMA-ES.
struct CMAReferenceDistribution {
    var mean: [Double]
    var sigma: Double
    var covariance: [Double]
    var conjugatePath: [Double]
    var evolutionPath: [Double]
}

extension CMAReferenceDistribution {
    init(_ s: CMAES.State) {
        self.init(mean: s.mean, sigma: s.sigma, covariance: s.covariance, conjugatePath: s.conjugatePath, evolutionPath: s.evolutionPath)
    }

    init(_ s: SeparableCMAES.State) {
        self.init(mean: s.mean, sigma: s.sigma, covariance: s.variances, conjugatePath: s.conjugatePath, evolutionPath: s.evolutionPath)
    }
}

/// A⁻¹ᐟ² of a symmetric positive definite n×n matrix (row-major), by cyclic Jacobi rotations:
/// the tests' own eigensolver, independent of `SymmetricEigen`.
func inverseSquareRoot(_ a: [Double], n: Int) -> [Double] {
    var m = a
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    for _ in 0..<100 {
        var off = 0.0
        for p in 0..<n { for q in 0..<n where p != q { off += m[p * n + q] * m[p * n + q] } }
        if off < 1e-30 { break }
        for p in 0..<n {
            for q in (p + 1)..<n where m[p * n + q] != 0 {
                let theta = (m[q * n + q] - m[p * n + p]) / (2 * m[p * n + q])
                let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot()
                let s = t * c
                for k in 0..<n {
                    let mkp = m[k * n + p], mkq = m[k * n + q]
                    m[k * n + p] = c * mkp - s * mkq
                    m[k * n + q] = s * mkp + c * mkq
                }
                for k in 0..<n {
                    let mpk = m[p * n + k], mqk = m[q * n + k]
                    m[p * n + k] = c * mpk - s * mqk
                    m[q * n + k] = s * mpk + c * mqk
                }
                for k in 0..<n {
                    let vkp = v[k * n + p], vkq = v[k * n + q]
                    v[k * n + p] = c * vkp - s * vkq
                    v[k * n + q] = s * vkp + c * vkq
                }
            }
        }
    }
    var result = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0..<n {
            var sum = 0.0
            for k in 0..<n { sum += v[i * n + k] * v[j * n + k] / m[k * n + k].squareRoot() }
            result[i * n + j] = sum
        }
    }
    return result
}
