import Foundation

/// The strategy parameters of CMA-ES for n weights and λ samples, exactly as in Hansen's
/// tutorial (N. Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772, 2016,
/// Table 1 and eqs. 49–58):
///
///     μ = ⌊λ/2⌋, w′ᵢ = ln((λ + 1)/2) − ln i,   μ_eff = (Σ_{i≤μ} w′ᵢ)² / Σ_{i≤μ} w′ᵢ²
///     c_c = (4 + μ_eff/n)/(n + 4 + 2μ_eff/n),   c_σ = (μ_eff + 2)/(n + μ_eff + 5)
///     c₁ = 2/((n + 1.3)² + μ_eff),   c_μ = min(1 − c₁, 2(μ_eff − 2 + 1/μ_eff)/((n + 2)² + μ_eff))
///     d_σ = 1 + 2·max(0, √((μ_eff − 1)/(n + 1)) − 1) + c_σ,   c_m = 1
///
/// Positive weights are w′ᵢ/Σ_{i≤μ} w′ᵢ; the negative ones (active CMA) are scaled by
/// min(1 + c₁/c_μ, 1 + 2μ⁻_eff/(μ_eff + 2), (1 − c₁ − c_μ)/(n·c_μ)) / Σ|w′⁻|.
///
/// For the separable variant (Ros & Hansen, 2008, "A Simple Modification in CMA-ES Achieving
/// Linear Time and Space Complexity", PPSN X), c₁ and c_μ are multiplied by (n + 2)/3
/// (c_μ bounded by 1 − c₁) and only the positive weights are used. The paper scales its single
/// learning rate c_cov of the 2008 CMA-ES; here the tutorial's c₁ and c_μ are scaled the same way.
struct CMAParameters: Codable, Sendable, Equatable {
    let dimension: Int
    let lambda: Int
    let mu: Int
    /// λ recombination weights, best first; the negative tail is zero when separable.
    let weights: [Double]
    let muEff: Double
    let cc: Double
    let cs: Double
    let c1: Double
    let cmu: Double
    let damps: Double
    /// E‖N(0, I)‖ ≈ √n (1 − 1/(4n) + 1/(21n²)).
    let chiN: Double

    /// The default λ = 4 + ⌊3 ln n⌋.
    static func defaultLambda(dimension: Int) -> Int {
        4 + Int(3 * log(Double(max(dimension, 1))))
    }

    init(dimension: Int, lambda: Int, separable: Bool) {
        let n = Double(dimension)
        let mu = lambda / 2
        let raw = (0..<lambda).map { log((Double(lambda) + 1) / 2) - log(Double($0 + 1)) }
        let positive = raw.prefix(mu)
        let negative = raw.dropFirst(mu)
        let positiveSum = positive.reduce(0, +)
        let muEff = positiveSum * positiveSum / positive.reduce(0) { $0 + $1 * $1 }
        let negativeSquares = negative.reduce(0) { $0 + $1 * $1 }
        let negativeSum = negative.reduce(0) { $0 + abs($1) }
        let muEffNegative = negativeSquares > 0 ? negativeSum * negativeSum / negativeSquares : 0

        let cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n)
        let cs = (muEff + 2) / (n + muEff + 5)
        var c1 = 2 / ((n + 1.3) * (n + 1.3) + muEff)
        var cmu = min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + muEff))
        if separable {
            c1 *= (n + 2) / 3
            cmu = min(1 - c1, cmu * (n + 2) / 3)
        }
        var weights = positive.map { $0 / positiveSum }
        if separable || negativeSum == 0 || cmu <= 0 {
            weights += [Double](repeating: 0, count: lambda - mu)
        } else {
            let alphaMu = 1 + c1 / cmu
            let alphaMuEff = 1 + 2 * muEffNegative / (muEff + 2)
            let alphaPositiveDefinite = (1 - c1 - cmu) / (n * cmu)
            let scale = min(alphaMu, alphaMuEff, alphaPositiveDefinite) / negativeSum
            weights += negative.map { scale * $0 }
        }

        self.dimension = dimension
        self.lambda = lambda
        self.mu = mu
        self.weights = weights
        self.muEff = muEff
        self.cc = cc
        self.cs = cs
        self.c1 = c1
        self.cmu = cmu
        self.damps = 1 + 2 * max(0, ((muEff - 1) / (n + 1)).squareRoot() - 1) + cs
        self.chiN = n.squareRoot() * (1 - 1 / (4 * n) + 1 / (21 * n * n))
    }

    /// Why a CMA search should stop, or nil: a non-finite distribution, or one narrower than
    /// Float32 weights resolve (σ·max√Cᵢᵢ < 10⁻⁸·max(1, max|mᵢ|)), where every individual
    /// would round to the mean.
    static func stopReason(sigma: Double, widestVariance: Double, mean: [Double]) -> String? {
        guard sigma.isFinite, widestVariance.isFinite else { return "the search distribution became non-finite" }
        let scale = max(1, mean.reduce(0) { max($0, abs($1)) })
        return sigma * widestVariance.squareRoot() < 1e-8 * scale ? "the search distribution is narrower than Float32 weights resolve" : nil
    }

    /// The step-size update factor exp((c_σ/d_σ)(‖p_σ‖/E‖N(0, I)‖ − 1)).
    func stepSizeFactor(pathNorm: Double) -> Double {
        exp(cs / damps * (pathNorm / chiN - 1))
    }

    /// p_σ ← (1 − c_σ)p_σ + √(c_σ(2 − c_σ)μ_eff)·sᵢ for the whitened step sᵢ = `step(i)`
    /// (C^(−1/2)⟨y⟩, or ⟨z⟩ when C is diagonal); returns ‖p_σ‖.
    func updateConjugatePath(_ path: inout [Double], step: (Int) -> Double) -> Double {
        let rate = (cs * (2 - cs) * muEff).squareRoot()
        var squared = 0.0
        for i in path.indices {
            path[i] = (1 - cs) * path[i] + rate * step(i)
            squared += path[i] * path[i]
        }
        return squared.squareRoot()
    }

    /// The rate of p_c's update, h_σ√(c_c(2 − c_c)μ_eff), and δ(h_σ) = (1 − h_σ)c_c(2 − c_c),
    /// for the new ‖p_σ‖ after `generation` generations.
    func covarianceRates(pathNorm: Double, generation: Int) -> (path: Double, delta: Double) {
        stallsPath(pathNorm: pathNorm, generation: generation) ? (0, cc * (2 - cc)) : ((cc * (2 - cc) * muEff).squareRoot(), 0)
    }

    /// h_σ: 1 unless ‖p_σ‖/√(1 − (1 − c_σ)^(2(g+1))) ≥ (1.4 + 2/(n + 1))·E‖N(0, I)‖, which
    /// stalls the update of p_c while σ is growing fast.
    func stallsPath(pathNorm: Double, generation: Int) -> Bool {
        let correction = (1 - pow(1 - cs, 2 * Double(generation + 1))).squareRoot()
        return pathNorm / correction >= (1.4 + 2 / (Double(dimension) + 1)) * chiN
    }
}
