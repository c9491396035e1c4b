import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabEvolutionary

/// CMA-ES one generation at a time against Hansen's tutorial (arXiv:1604.00772, 2016, eqs.
/// 39–47 and Table 1), recomputed here in Double from the draws the strategy asked with
/// (`state.draws`, `state.steps`) and fitness values the test chooses, so the ranking is known.
@Suite struct CMAESStepReferenceTests {
    /// The tutorial's update of `before` for the steps y (λ rows of n) ranked by `fitness`,
    /// in generation `generation` (0-based), with C^(−1/2) from the tests' own eigensolver.
    static func expected(_ before: CMAReferenceDistribution, steps y: [[Double]], fitness: [Float], generation: Int, _ k: CMAReferenceConstants) -> CMAReferenceDistribution {
        let n = k.n
        let order = k.ranking(fitness)
        var yw = [Double](repeating: 0, count: n)
        for i in 0..<k.mu { for j in 0..<n { yw[j] += k.weights[i] * y[order[i]][j] } }
        let invSqrt = inverseSquareRoot(before.covariance, n: n)
        func whiten(_ v: [Double]) -> [Double] {
            (0..<n).map { i in (0..<n).reduce(0) { $0 + invSqrt[i * n + $1] * v[$1] } }
        }
        var next = before
        for j in 0..<n { next.mean[j] = before.mean[j] + before.sigma * yw[j] }  // c_m = 1
        next.conjugatePath = k.nextConjugatePath(before.conjugatePath, whitened: whiten(yw))
        let psNorm = next.conjugatePath.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let h = k.hSigma(pathNorm: psNorm, generation: generation)
        next.evolutionPath = k.nextEvolutionPath(before.evolutionPath, h: h, yw: yw)
        let circleWeights = (0..<k.lambda).map { i -> Double in
            let w = k.weights[i]
            if w >= 0 { return w }
            let norm2 = whiten(y[order[i]]).reduce(0) { $0 + $1 * $1 }
            return w * Double(n) / norm2
        }
        let deltaH = (1 - h) * k.cc * (2 - k.cc)
        let decay = 1 + k.c1 * deltaH - k.c1 - k.cmu * k.weights.reduce(0, +)
        for a in 0..<n {
            for b in 0..<n {
                var rankMu = 0.0
                for i in 0..<k.lambda { rankMu += circleWeights[i] * y[order[i]][a] * y[order[i]][b] }
                next.covariance[a * n + b] = decay * before.covariance[a * n + b]
                    + k.c1 * next.evolutionPath[a] * next.evolutionPath[b] + k.cmu * rankMu
            }
        }
        next.sigma = k.nextSigma(before.sigma, pathNorm: psNorm)
        return next
    }

    static func expectClose(_ actual: [Double], _ expected: [Double], _ what: String, relative: Double = 1e-11) {
        #expect(actual.count == expected.count, "\(what): count")
        for i in expected.indices {
            #expect(isApproximatelyEqual(actual[i], expected[i], absolute: relative, relative: relative), "\(what)[\(i)] = \(actual[i]), expected \(expected[i])")
        }
    }

    static func expectMatches(_ state: CMAES.State, _ reference: CMAReferenceDistribution, relative: Double = 1e-11) {
        expectClose(state.mean, reference.mean, "m", relative: relative)
        expectClose(state.conjugatePath, reference.conjugatePath, "p_σ", relative: relative)
        expectClose(state.evolutionPath, reference.evolutionPath, "p_c", relative: relative)
        expectClose(state.covariance, reference.covariance, "C", relative: relative)
        #expect(isApproximatelyEqual(state.sigma, reference.sigma, relative: relative), "σ = \(state.sigma), expected \(reference.sigma)")
    }

    /// The λ rows of n in a flat buffer.
    static func rows(_ flat: [Double], _ lambda: Int, _ n: Int) -> [[Double]] {
        (0..<lambda).map { Array(flat[($0 * n)..<($0 * n + n)]) }
    }

    /// Two generations on n = 3 with the default λ = 7 (μ = 3, four active weights): the
    /// first from C = I, the second from the updated C, where sampling must follow C's
    /// factor B·D and the whitening C^(−1/2) is the test's own.
    @Test func twoGenerationsFollowTheTutorialsEquations() throws {
        let n = 3
        let start: [Float] = [0.3, -0.2, 0.5]
        let cma = try CMAES(sigma: 0.5)
        let k = CMAReferenceConstants(n: n, lambda: 7)
        var (state, population, rng) = try TestProblems.startOnSphere(cma, from: start, seed: 2016)
        #expect(state.parameters.weights.count == k.lambda)
        let fitnessByGeneration: [[Float]] = [[0.4, 0.1, 0.7, 0.3, 0.9, 0.2, 0.6, 0.5], [0.8, 0.6, 0.2, 0.5, 0.1, 0.9, 0.3, 0.4]]
        for (generation, fitness) in fitnessByGeneration.enumerated() {
            let before = CMAReferenceDistribution(state)
            cma.ask(&state, into: &population, rng: &rng)
            let z = Self.rows(state.draws.values, k.lambda, n)
            let y = Self.rows(state.steps.values, k.lambda, n)
            // yₖ = B·D·zₖ for a factor with (BD)(BD)ᵀ = C, and xₖ = m + σyₖ in Float.
            var factor = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for j in 0..<n { factor[i * n + j] = state.eigenvectors[i * n + j] * state.scales[j] } }
            for a in 0..<n {
                for b in 0..<n {
                    let product = (0..<n).reduce(0.0) { $0 + factor[a * n + $1] * factor[b * n + $1] }
                    #expect(isApproximatelyEqual(product, before.covariance[a * n + b], absolute: 1e-12), "(BD)(BD)ᵀ[\(a),\(b)]")
                }
            }
            for r in 0..<k.lambda {
                for i in 0..<n {
                    let expectedY = (0..<n).reduce(0.0) { $0 + factor[i * n + $1] * z[r][$1] }
                    #expect(isApproximatelyEqual(y[r][i], expectedY, absolute: 1e-12), "y[\(r)][\(i)]")
                    #expect(population.values[r * n + i] == Float(before.mean[i] + before.sigma * y[r][i]), "x[\(r)][\(i)]")
                }
            }
            for i in 0..<n { #expect(population.values[k.lambda * n + i] == Float(before.mean[i]), "the center row") }
            cma.tell(&state, population: &population, fitness: fitness)
            Self.expectMatches(state, Self.expected(before, steps: y, fitness: fitness, generation: generation, k), relative: 1e-10)
            #expect(k.hSigma(pathNorm: state.conjugatePath.reduce(0) { $0 + $1 * $1 }.squareRoot(), generation: generation) == 1, "h_σ = 1 here: p_c moves")
        }
    }

    /// Planted steps far along one direction make ‖p_σ‖ exceed the h_σ bound in the first
    /// generation: p_c must not move, and C takes the c₁δ(h_σ) correction instead.
    @Test func aStalledPathKeepsPcAndCorrectsTheDecay() throws {
        let n = 3
        let start: [Float] = [0, 0, 0]
        let cma = try CMAES(sigma: 0.2, evaluateCenter: false)
        let k = CMAReferenceConstants(n: n, lambda: 7)
        var (state, population, rng) = try TestProblems.startOnSphere(cma, from: start, seed: 7)
        let before = CMAReferenceDistribution(state)
        cma.ask(&state, into: &population, rng: &rng)
        // B = I and D = 1 before the first update, so yₖ = zₖ.
        let planted: [[Double]] = [[3, 2.5, 2], [2.8, 3, 2.2], [3.1, 2.7, 2.9], [-1, 0.5, 0.2], [0.3, -0.4, 1], [-0.6, -0.2, 0.1], [0.9, 0.8, -1.2]]
        state.draws.values = planted.flatMap { $0 }
        state.steps.values = planted.flatMap { $0 }
        let fitness: [Float] = [1, 2, 3, 4, 5, 6, 7]
        let reference = Self.expected(before, steps: planted, fitness: fitness, generation: 0, k)
        let psNorm = reference.conjugatePath.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(k.hSigma(pathNorm: psNorm, generation: 0) == 0, "the planted steps must stall p_c")
        cma.tell(&state, population: &population, fitness: fitness)
        #expect(state.evolutionPath == [0, 0, 0])
        Self.expectMatches(state, reference)
    }

    /// The test's eigensolver: C^(−1/2)·C·C^(−1/2) = I on a non-diagonal matrix.
    @Test func theReferenceInverseSquareRootWhitens() {
        let c: [Double] = [2, 0.5, -0.3, 0.5, 1, 0.2, -0.3, 0.2, 0.7]
        let s = inverseSquareRoot(c, n: 3)
        for i in 0..<3 {
            for j in 0..<3 {
                var sum = 0.0
                for a in 0..<3 { for b in 0..<3 { sum += s[i * 3 + a] * c[a * 3 + b] * s[b * 3 + j] } }
                #expect(isApproximatelyEqual(sum, i == j ? 1 : 0, absolute: 1e-12))
            }
        }
    }
}
