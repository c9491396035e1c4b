import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabEvolutionary

/// sep-CMA-ES one generation at a time against Ros & Hansen (2008): CMA-ES's updates with a
/// diagonal C, so C^(−1/2)y = z and the rank-one and rank-μ terms keep only their diagonals,
/// recomputed here in Double from the asked draws (`state.draws`) and chosen fitness values.
@Suite struct SeparableCMAESStepReferenceTests {
    /// The update of `before` (its `covariance` the diagonal c) for draws z (λ rows of n) ranked by `fitness` in generation
    /// `generation`, with yₖ = √c ⊙ zₖ:
    /// m ← m + σΣwᵢy_{i:λ}, p_σ ← (1 − c_σ)p_σ + √(c_σ(2 − c_σ)μ_eff)Σwᵢz_{i:λ},
    /// p_c ← (1 − c_c)p_c + h_σ√(c_c(2 − c_c)μ_eff)Σwᵢy_{i:λ},
    /// cⱼ ← (1 + c₁δ(h_σ) − c₁ − c_μΣwᵢ)cⱼ + c₁p_cⱼ² + c_μΣwᵢy_{i:λ,j}², σ as in CMA-ES.
    static func expected(_ before: CMAReferenceDistribution, draws z: [[Double]], fitness: [Float], generation: Int, _ k: CMAReferenceConstants) -> CMAReferenceDistribution {
        let n = k.n
        let order = k.ranking(fitness)
        let y = z.map { row in (0..<n).map { before.covariance[$0].squareRoot() * row[$0] } }
        var zw = [Double](repeating: 0, count: n)
        var yw = [Double](repeating: 0, count: n)
        for i in 0..<k.mu {
            for j in 0..<n {
                zw[j] += k.weights[i] * z[order[i]][j]
                yw[j] += k.weights[i] * y[order[i]][j]
            }
        }
        var next = before
        for j in 0..<n { next.mean[j] += before.sigma * yw[j] }
        next.conjugatePath = k.nextConjugatePath(before.conjugatePath, whitened: zw)
        let psNorm = next.conjugatePath.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let h = k.hSigma(pathNorm: psNorm, generation: generation)
        let positiveSum = k.weights.filter { $0 > 0 }.reduce(0, +)
        let decay = 1 + k.c1 * (1 - h) * k.cc * (2 - k.cc) - k.c1 - k.cmu * positiveSum
        next.evolutionPath = k.nextEvolutionPath(before.evolutionPath, h: h, yw: yw)
        for j in 0..<n {
            var rankMu = 0.0
            for i in 0..<k.mu { rankMu += k.weights[i] * y[order[i]][j] * y[order[i]][j] }
            next.covariance[j] = decay * before.covariance[j] + k.c1 * next.evolutionPath[j] * next.evolutionPath[j] + k.cmu * rankMu
        }
        next.sigma = k.nextSigma(before.sigma, pathNorm: psNorm)
        return next
    }

    static func expectClose(_ actual: [Double], _ expected: [Double], _ what: String) {
        for i in expected.indices {
            #expect(isApproximatelyEqual(actual[i], expected[i], absolute: 1e-12, relative: 1e-12), "\(what)[\(i)] = \(actual[i]), expected \(expected[i])")
        }
    }

    /// Two generations on n = 4 with the default λ = 8 (μ = 4, the separable c₁ and c_μ, no
    /// active weights); the second starts from unequal variances, so √c must scale the steps.
    @Test func twoGenerationsFollowRosAndHansen() throws {
        let n = 4
        let start: [Float] = [1, -0.5, 0.25, 2]
        let sep = try SeparableCMAES(sigma: 0.3)
        let k = CMAReferenceConstants(n: n, lambda: 8, separable: true)
        #expect(k.weights.count == sep.samples(dimension: n))
        var (state, population, rng) = try TestProblems.startOnSphere(sep, from: start, seed: 2008)
        let fitnessByGeneration: [[Float]] = [[0.5, 0.2, 0.8, 0.1, 0.7, 0.3, 0.6, 0.4, 9], [0.3, 0.9, 0.1, 0.6, 0.2, 0.8, 0.4, 0.7, 9]]
        for (generation, fitness) in fitnessByGeneration.enumerated() {
            let before = CMAReferenceDistribution(state)
            sep.ask(&state, into: &population, rng: &rng)
            let z = (0..<k.lambda).map { r in (0..<n).map { Double(state.draws.values[r * n + $0]) } }
            for r in 0..<k.lambda {
                for j in 0..<n {
                    let x = before.mean[j] + before.sigma * before.covariance[j].squareRoot() * z[r][j]
                    #expect(isApproximatelyEqual(Double(population.values[r * n + j]), x, absolute: 1e-6, relative: 1e-6), "x[\(r)][\(j)]")
                }
            }
            sep.tell(&state, population: &population, fitness: fitness)
            let reference = Self.expected(before, draws: z, fitness: fitness, generation: generation, k)
            Self.expectClose(state.mean, reference.mean, "m")
            Self.expectClose(state.conjugatePath, reference.conjugatePath, "p_σ")
            Self.expectClose(state.evolutionPath, reference.evolutionPath, "p_c")
            Self.expectClose(state.variances, reference.covariance, "c")
            #expect(isApproximatelyEqual(state.sigma, reference.sigma, relative: 1e-12), "σ = \(state.sigma), expected \(reference.sigma)")
        }
        #expect(Set(state.variances).count == n, "the variances must have come apart")
    }
}
