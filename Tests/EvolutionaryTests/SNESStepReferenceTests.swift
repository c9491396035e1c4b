import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabEvolutionary

/// SNES one generation at a time against Schaul, Glasmachers & Schmidhuber (2011, Algorithm
/// 2), recomputed in Double from the asked draws sₖ (`state.draws`) and chosen fitness values.
@Suite struct SNESStepReferenceTests {
    /// The paper's utilities for λ samples, by rank (0 the best): max(0, ln(λ/2 + 1) − ln k)
    /// normalized to sum 1, minus 1/λ (k = rank + 1).
    static func utilities(_ lambda: Int) -> [Double] {
        let raw = (1...lambda).map { max(0, log(Double(lambda) / 2 + 1) - log(Double($0))) }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total - 1 / Double(lambda) }
    }

    /// μ ← μ + η_μ·σ ⊙ Σₖ uₖsₖ and σ ← σ ⊙ exp(½η_σ Σₖ uₖ(sₖ² − 1)), u by fitness rank.
    static func expected(center: [Double], sigmas: [Double], draws s: [[Double]], fitness: [Float], etaMu: Double, etaSigma: Double) -> (center: [Double], sigmas: [Double]) {
        let lambda = s.count
        let u = utilities(lambda)
        let order = (0..<lambda).sorted { fitness[$0] < fitness[$1] }
        var mu = center
        var sigma = sigmas
        for j in center.indices {
            var gradientMu = 0.0
            var gradientSigma = 0.0
            for (rank, k) in order.enumerated() {
                gradientMu += u[rank] * s[k][j]
                gradientSigma += u[rank] * (s[k][j] * s[k][j] - 1)
            }
            mu[j] = center[j] + etaMu * sigmas[j] * gradientMu
            sigma[j] = sigmas[j] * exp(etaSigma / 2 * gradientSigma)
        }
        return (mu, sigma)
    }

    /// Two generations on d = 5 with the paper's defaults: λ = 4 + ⌊3 ln 5⌋ = 8, η_μ = 1,
    /// η_σ = (3 + ln 5)/(5√5). The state is Float, so the comparison allows 1e-5 relative.
    @Test func twoGenerationsFollowThePapersNaturalGradient() throws {
        let d = 5
        let start: [Float] = [0.5, -1, 0.25, 0, 2]
        let snes = try SNES(sigma: 0.4)
        let lambda = 4 + Int(3 * log(Double(d)))
        #expect(snes.samples(dimension: d) == lambda)
        let etaSigma = (3 + log(Double(d))) / (5 * Double(d).squareRoot())
        var (state, population, rng) = try TestProblems.startOnSphere(snes, from: start, seed: 2011)
        let fitnessByGeneration: [[Float]] = [[0.6, 0.2, 0.9, 0.1, 0.5, 0.8, 0.3, 0.7, 5], [0.4, 0.8, 0.2, 0.6, 0.1, 0.3, 0.9, 0.5, 5]]
        for fitness in fitnessByGeneration {
            let center = state.center.map(Double.init)
            let sigmas = state.sigmas.map(Double.init)
            snes.ask(&state, into: &population, rng: &rng)
            let s = (0..<lambda).map { k in (0..<d).map { Double(state.draws.values[k * d + $0]) } }
            for k in 0..<lambda {
                for j in 0..<d {
                    #expect(isApproximatelyEqual(Double(population.values[k * d + j]), center[j] + sigmas[j] * s[k][j], absolute: 1e-6, relative: 1e-6), "z[\(k)][\(j)]")
                }
            }
            for j in 0..<d { #expect(Double(population.values[lambda * d + j]) == center[j], "the center row") }
            snes.tell(&state, population: &population, fitness: fitness)
            let reference = Self.expected(center: center, sigmas: sigmas, draws: s, fitness: fitness, etaMu: 1, etaSigma: etaSigma)
            for j in 0..<d {
                #expect(isApproximatelyEqual(Double(state.center[j]), reference.center[j], absolute: 1e-6, relative: 1e-5), "μ[\(j)] = \(state.center[j]), expected \(reference.center[j])")
                #expect(isApproximatelyEqual(Double(state.sigmas[j]), reference.sigmas[j], relative: 1e-5), "σ[\(j)] = \(state.sigmas[j]), expected \(reference.sigmas[j])")
            }
        }
    }

    /// Other learning rates enter as the paper's η_μ and η_σ.
    @Test func learningRatesScaleTheirUpdates() throws {
        let d = 3
        let start: [Float] = [1, 2, 3]
        let snes = try SNES(populationSize: 6, sigma: 0.2, update: .sgd(learningRate: 0.5, .heavyBall(0)), sigmaLearningRate: 0.3, evaluateCenter: false)
        var (state, population, rng) = try TestProblems.startOnSphere(snes, from: start, seed: 5)
        snes.ask(&state, into: &population, rng: &rng)
        let s = (0..<6).map { k in (0..<d).map { Double(state.draws.values[k * d + $0]) } }
        let fitness: [Float] = [3, 1, 4, 1.5, 9, 2.6]
        snes.tell(&state, population: &population, fitness: fitness)
        let reference = Self.expected(center: start.map(Double.init), sigmas: [0.2, 0.2, 0.2].map { Double(Float($0)) }, draws: s, fitness: fitness, etaMu: 0.5, etaSigma: Double(Float(0.3)))
        for j in 0..<d {
            #expect(isApproximatelyEqual(Double(state.center[j]), reference.center[j], relative: 1e-5), "μ[\(j)]")
            #expect(isApproximatelyEqual(Double(state.sigmas[j]), reference.sigmas[j], relative: 1e-5), "σ[\(j)]")
        }
    }
}
