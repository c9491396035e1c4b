import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabEvolutionary

/// OpenAI-ES's gradient estimate and center update against Salimans et al. (2017, Algorithm
/// 2 with mirrored sampling and centered-rank fitness shaping), recomputed in Double from the
/// asked perturbations (`state.perturbations`, σεₖ) and chosen fitness values.
@Suite struct OpenAIESStepReferenceTests {
    /// Centered ranks by fitness: rank/(n − 1) − ½, rank 0 the best.
    static func centeredRanks(_ fitness: [Float]) -> [Double] {
        let n = fitness.count
        var shaped = [Double](repeating: 0, count: n)
        for (rank, i) in (0..<n).sorted(by: { fitness[$0] < fitness[$1] }).enumerated() { shaped[i] = Double(rank) / Double(n - 1) - 0.5 }
        return shaped
    }

    /// The paper's estimate over all n individuals, ε₂ₖ = εₖ and ε₂ₖ₊₁ = −εₖ:
    /// g = 1/(nσ)·Σᵢ Fᵢεᵢ + weightDecay·μ.
    static func gradient(center: [Double], epsilons: [[Double]], fitness: [Float], sigma: Double, weightDecay: Double) -> [Double] {
        let n = 2 * epsilons.count
        let shaped = centeredRanks(Array(fitness.prefix(n)))
        return center.indices.map { j in
            var sum = 0.0
            for i in 0..<n { sum += shaped[i] * (i % 2 == 0 ? 1 : -1) * epsilons[i / 2][j] }
            return sum / (Double(n) * sigma) + weightDecay * center[j]
        }
    }

    /// Asks, checks the mirrored rows μ ± σεₖ, and returns εₖ.
    static func askMirrored(_ es: OpenAIES, _ state: inout OpenAIES.State, _ population: inout PopulationMatrix, _ rng: inout RandomStream) -> [[Double]] {
        let d = population.dimension
        let center = state.center
        es.ask(&state, into: &population, rng: &rng)
        let pairs = es.populationSize / 2
        var epsilons: [[Double]] = []
        for k in 0..<pairs {
            let delta = (0..<d).map { state.perturbations.values[k * d + $0] }
            for j in 0..<d {
                #expect(population.values[2 * k * d + j] == center[j] + delta[j], "row \(2 * k) is μ + σε")
                #expect(population.values[(2 * k + 1) * d + j] == center[j] - delta[j], "row \(2 * k + 1) is μ − σε")
            }
            epsilons.append(delta.map { Double($0) / Double(es.sigma) })
        }
        if es.evaluateCenter { for j in 0..<d { #expect(population.values[2 * pairs * d + j] == center[j], "the center row") } }
        return epsilons
    }

    /// Plain descent μ ← μ − ηg isolates the estimate, with and without the L2 term.
    @Test(arguments: [Float(0), 0.005])
    func gradientDescentFollowsTheEstimate(weightDecay: Float) throws {
        let d = 4
        let start: [Float] = [0.5, -0.25, 1, 0]
        let es = try OpenAIES(populationSize: 6, sigma: 0.1, update: .sgd(learningRate: 0.05, .heavyBall(0)), weightDecay: weightDecay)
        var (state, population, rng) = try TestProblems.startOnSphere(es, from: start, seed: 2017)
        let fitness: [Float] = [0.3, 0.7, 0.1, 0.9, 0.5, 0.2, 4]
        let center = state.center.map(Double.init)
        let epsilons = Self.askMirrored(es, &state, &population, &rng)
        es.tell(&state, population: &population, fitness: fitness)
        let g = Self.gradient(center: center, epsilons: epsilons, fitness: fitness, sigma: 0.1, weightDecay: Double(weightDecay))
        for j in 0..<d {
            let expected = center[j] - 0.05 * g[j]
            #expect(isApproximatelyEqual(Double(state.center[j]), expected, absolute: 1e-6, relative: 1e-5), "μ[\(j)] = \(state.center[j]), expected \(expected)")
        }
    }

    /// The paper's default: Adam (Kingma & Ba; η = 0.01, β = (0.9, 0.999), ε = 1e-8) over two
    /// generations, its moments started at zero and bias-corrected.
    @Test func adamFollowsTheEstimateOverTwoGenerations() throws {
        let d = 3
        let start: [Float] = [0.2, -0.4, 0.6]
        let es = try OpenAIES(populationSize: 8, sigma: 0.02)
        var (state, population, rng) = try TestProblems.startOnSphere(es, from: start, seed: 2)
        var center = start.map(Double.init)
        var m = [Double](repeating: 0, count: d)
        var v = [Double](repeating: 0, count: d)
        let (beta1, beta2, eta, epsilon) = (0.9, 0.999, 0.01, 1e-8)
        for (t, fitness) in [[Float](arrayLiteral: 5, 3, 8, 1, 7, 2, 6, 4, 0), [2, 6, 1, 8, 3, 7, 5, 4, 0]].enumerated() {
            let epsilons = Self.askMirrored(es, &state, &population, &rng)
            es.tell(&state, population: &population, fitness: fitness)
            let g = Self.gradient(center: center, epsilons: epsilons, fitness: fitness, sigma: Double(Float(0.02)), weightDecay: 0)
            let step = Double(t + 1)
            for j in 0..<d {
                m[j] = beta1 * m[j] + (1 - beta1) * g[j]
                v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j]
                center[j] -= eta * (m[j] / (1 - pow(beta1, step))) / ((v[j] / (1 - pow(beta2, step))).squareRoot() + epsilon)
                #expect(isApproximatelyEqual(Double(state.center[j]), center[j], absolute: 1e-6, relative: 1e-5), "μ[\(j)] after \(t + 1) = \(state.center[j]), expected \(center[j])")
            }
        }
    }
}
