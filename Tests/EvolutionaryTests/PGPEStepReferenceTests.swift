import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabEvolutionary

/// PGPE with symmetric sampling against Sehnke et al. (2010, eqs. for symmetric sampling,
/// written for costs: μ and σ descend), recomputed in Double from the asked perturbations
/// (`state.perturbations`, εₖ ~ N(0, diag σ²)) and chosen fitness values.
@Suite struct PGPEStepReferenceTests {
    /// The pair gradients with costs c (centered ranks) and baseline b = mean c:
    /// g_μ = 1/K Σₖ ½(c₊ₖ − c₋ₖ)εₖ and g_σ = 1/K Σₖ (½(c₊ₖ + c₋ₖ) − b)(εₖ² − σ²)/σ.
    static func gradients(epsilons: [[Double]], sigmas: [Double], fitness: [Float]) -> (mu: [Double], sigma: [Double]) {
        let pairs = epsilons.count
        let costs = OpenAIESStepReferenceTests.centeredRanks(Array(fitness.prefix(2 * pairs)))
        let baseline = costs.reduce(0, +) / Double(costs.count)
        var gMu = [Double](repeating: 0, count: sigmas.count)
        var gSigma = [Double](repeating: 0, count: sigmas.count)
        for k in 0..<pairs {
            let (plus, minus) = (costs[2 * k], costs[2 * k + 1])
            for j in sigmas.indices {
                let e = epsilons[k][j]
                gMu[j] += 0.5 * (plus - minus) * e / Double(pairs)
                gSigma[j] += (0.5 * (plus + minus) - baseline) * (e * e - sigmas[j] * sigmas[j]) / sigmas[j] / Double(pairs)
            }
        }
        return (gMu, gSigma)
    }

    /// σ ← σ − clamp(α_σ·g_σ, ±maxChange·σ).
    static func nextSigmas(_ sigmas: [Double], _ gSigma: [Double], rate: Double, maxChange: Double) -> [Double] {
        sigmas.indices.map { j in
            let limit = maxChange * sigmas[j]
            return sigmas[j] - min(limit, max(-limit, rate * gSigma[j]))
        }
    }

    /// Asks, checks the mirrored rows μ ± εₖ, and returns εₖ.
    static func askSymmetric(_ pgpe: PGPE, _ state: inout PGPE.State, _ population: inout PopulationMatrix, _ rng: inout RandomStream) -> [[Double]] {
        let d = population.dimension
        let center = state.center
        pgpe.ask(&state, into: &population, rng: &rng)
        return (0..<(pgpe.populationSize / 2)).map { k in
            (0..<d).map { j in
                let e = state.perturbations.values[k * d + j]
                #expect(population.values[2 * k * d + j] == center[j] + e, "row \(2 * k) is μ + ε")
                #expect(population.values[(2 * k + 1) * d + j] == center[j] - e, "row \(2 * k + 1) is μ − ε")
                return Double(e)
            }
        }
    }

    /// Plain descent on μ (μ ← μ − ηg_μ) isolates the estimates; σ's small learning rate
    /// keeps its step inside the ±20% limit, a large one hits the limit on every weight.
    @Test(arguments: [(Float(0.1), false), (Float(50), true)])
    func oneGenerationFollowsTheSymmetricEstimates(sigmaLearningRate: Float, clamped: Bool) throws {
        let d = 3
        let start: [Float] = [0.1, -0.3, 0.8]
        let pgpe = try PGPE(populationSize: 6, sigma: 0.1, update: .sgd(learningRate: 0.2, .heavyBall(0)), sigmaLearningRate: sigmaLearningRate)
        var (state, population, rng) = try TestProblems.startOnSphere(pgpe, from: start, seed: 2010)
        let sigmas = state.sigmas.map(Double.init)
        let epsilons = Self.askSymmetric(pgpe, &state, &population, &rng)
        let fitness: [Float] = [0.2, 0.9, 0.4, 0.3, 0.8, 0.1, 3]
        pgpe.tell(&state, population: &population, fitness: fitness)
        let (gMu, gSigma) = Self.gradients(epsilons: epsilons, sigmas: sigmas, fitness: fitness)
        let expectedSigmas = Self.nextSigmas(sigmas, gSigma, rate: Double(sigmaLearningRate), maxChange: 0.2)
        for j in 0..<d {
            let expectedMu = Double(start[j]) - 0.2 * gMu[j]
            #expect(isApproximatelyEqual(Double(state.center[j]), expectedMu, absolute: 1e-6, relative: 1e-5), "μ[\(j)] = \(state.center[j]), expected \(expectedMu)")
            #expect(isApproximatelyEqual(Double(state.sigmas[j]), expectedSigmas[j], relative: 1e-5), "σ[\(j)] = \(state.sigmas[j]), expected \(expectedSigmas[j])")
            #expect((abs(Double(sigmaLearningRate) * gSigma[j]) > 0.2 * sigmas[j]) == clamped, "the ±20% limit is \(clamped ? "" : "not ")reached")
        }
    }

    /// The default center update, ClipUp (Toklu et al. 2020: η = 0.15, maxSpeed 0.3,
    /// momentum 0.9), over two generations: v ← 0.9v + η·g/‖g‖, ‖v‖ ≤ 0.3, μ ← μ − v.
    @Test func clipUpMovesTheCenterOverTwoGenerations() throws {
        let d = 4
        let start: [Float] = [0, 0.5, -0.5, 1]
        let pgpe = try PGPE(populationSize: 8, sigma: 0.2)
        var (state, population, rng) = try TestProblems.startOnSphere(pgpe, from: start, seed: 11)
        var center = start.map(Double.init)
        var sigmas = state.sigmas.map(Double.init)
        var velocity = [Double](repeating: 0, count: d)
        for fitness in [[Float](arrayLiteral: 4, 2, 7, 1, 8, 3, 6, 5, 0), [1, 8, 2, 7, 3, 6, 4, 5, 0]] {
            let epsilons = Self.askSymmetric(pgpe, &state, &population, &rng)
            pgpe.tell(&state, population: &population, fitness: fitness)
            let (gMu, gSigma) = Self.gradients(epsilons: epsilons, sigmas: sigmas, fitness: fitness)
            sigmas = Self.nextSigmas(sigmas, gSigma, rate: 0.1, maxChange: 0.2)
            let norm = gMu.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for j in 0..<d { velocity[j] = 0.9 * velocity[j] + 0.15 * gMu[j] / norm }
            let speed = velocity.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if speed > 0.3 { velocity = velocity.map { $0 * 0.3 / speed } }
            for j in 0..<d {
                center[j] -= velocity[j]
                #expect(isApproximatelyEqual(Double(state.center[j]), center[j], absolute: 1e-6, relative: 1e-5), "μ[\(j)] = \(state.center[j]), expected \(center[j])")
                #expect(isApproximatelyEqual(Double(state.sigmas[j]), sigmas[j], relative: 1e-5), "σ[\(j)]")
            }
        }
    }
}
