import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabEvolutionary

@Suite struct FitnessTests {
    @Test func nonFiniteFitnessBecomesPlusInfinity() {
        var fitness: [Float] = [1, .nan, -.infinity, .infinity, -2]
        Fitness.sanitize(&fitness)
        #expect(fitness == [1, .infinity, .infinity, .infinity, -2])
        #expect(Fitness.argmin(fitness) == 4)
    }

    @Test func centeredRanksAreEvenlySpacedFromMinusHalfForTheBest() {
        var order: [Int] = []
        var costs: [Float] = []
        FitnessShaping.centeredRanks.costs(of: [3, 1, 2, .infinity], count: 4, order: &order, into: &costs)
        let expected: [Float] = [1.0 / 6, -0.5, -1.0 / 6, 0.5]
        for i in 0..<4 { #expect(isApproximatelyEqual(costs[i], expected[i], absolute: 1e-6)) }
    }

    /// [3, 1, 2, +∞] standardizes as [3, 1, 2, 3]: mean 2.25, deviation √0.6875.
    @Test func zScoresStandardizeWithTheWorstFiniteFitnessForDivergedOnes() {
        var order: [Int] = []
        var costs: [Float] = []
        FitnessShaping.standardized.costs(of: [3, 1, 2, .infinity], count: 4, order: &order, into: &costs)
        let deviation = 0.6875.squareRoot()
        let expected = [0.75 / deviation, -1.25 / deviation, -0.25 / deviation, 0.75 / deviation]
        for i in 0..<4 { #expect(abs(Double(costs[i]) - expected[i]) < 1e-6) }
        FitnessShaping.standardized.costs(of: [2, 2, .infinity], count: 3, order: &order, into: &costs)
        #expect(costs == [0, 0, 0])
    }

    @Test func nesUtilitiesRewardOnlyTheBetterHalf() {
        // n = 4: raw utilities max(0, ln 3 − ln k) = ln 3, ln 1.5, 0, 0.
        let total = log(3.0) + log(1.5)
        let u = [log(3.0) / total - 0.25, log(1.5) / total - 0.25, -0.25, -0.25]
        var order: [Int] = []
        var costs: [Float] = []
        FitnessShaping.utilities.costs(of: [0.4, 0.1, 0.3, 0.2], count: 4, order: &order, into: &costs)
        let expected = [-u[3], -u[0], -u[2], -u[1]]
        for i in 0..<4 { #expect(abs(Double(costs[i]) - expected[i]) < 1e-6) }
    }
}

@Suite struct SwarmTests {
    @Test func constrictionFactorMatchesClercsValue() {
        // φ = 4.1: χ = 2/|2 − 4.1 − √(4.1² − 4·4.1)| = 2/(2.1 + √0.41) ≈ 0.729843788.
        #expect(abs(ParticleSwarm.constrictionFactor(cognitive: 2.05, social: 2.05) - 0.729843788) < 1e-6)
    }

    @Test func velocityClampBoundsEveryMove() throws {
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: 10), start: [Float](repeating: 50, count: 10), spread: 20)
        let swarm = try ParticleSwarm(populationSize: 20, velocityClamp: 0.01)
        var rng = RandomStream(seed: 31)
        var state = try swarm.initialState(problem, from: problem.sampleWeights(&rng), rng: &rng)
        var population = PopulationMatrix(count: 20, dimension: 10)
        var fitness: [Float] = []
        var largest: Float = 0
        for generation in 0..<6 {
            swarm.ask(&state, into: &population, rng: &rng)
            if generation > 0 {
                for i in 0..<population.values.count {
                    largest = max(largest, abs(population.values[i] - state.positions.values[i]))
                }
            }
            try problem.objective.losses(of: population, on: .empty, into: &fitness)
            swarm.tell(&state, population: &population, fitness: fitness)
        }
        #expect(largest <= 0.01 * (1 + 1e-3))
        #expect(largest > 0.009, "the swarm should press against the clamp far from the optimum")
    }

    @Test func initialSpreadContractsTheSwarmTowardTheStart() throws {
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: 10), start: [Float](repeating: 5, count: 10), spread: 20)
        let start = [Float](repeating: 5, count: 10)
        var rng = RandomStream(seed: 32)
        let independent = try ParticleSwarm(populationSize: 8).initialState(problem, from: start, rng: &rng).positions.values
        rng = RandomStream(seed: 32)
        let contracted = try ParticleSwarm(populationSize: 8, initialSpread: 0.25).initialState(problem, from: start, rng: &rng).positions.values
        // Particle 0 is the start; particle i > 0 is x₀ + s·(dᵢ − x₀) for the same draw dᵢ.
        for i in 0..<8 {
            for j in 0..<10 {
                let expected = i == 0 ? start[j] : start[j] + 0.25 * (independent[i * 10 + j] - start[j])
                #expect(abs(contracted[i * 10 + j] - expected) <= 1e-5 * max(1, abs(expected)))
            }
        }
        #expect(independent[10] != start[0], "the draws must differ from the start for the check to mean anything")
        #expect(throws: WeightLabError.self) { try ParticleSwarm(initialSpread: 0) }
        #expect(throws: WeightLabError.self) { try ParticleSwarm(initialSpread: 1.5) }
    }

    @Test func linearInertiaDecreasesFromStartToEnd() throws {
        let swarm = try ParticleSwarm(inertia: 0.9, finalInertia: 0.4, inertiaGenerations: 100)
        #expect(swarm.coefficients(generation: 0).velocity == 0.9)
        #expect(abs(swarm.coefficients(generation: 50).velocity - 0.65) < 1e-6)
        #expect(abs(swarm.coefficients(generation: 500).velocity - 0.4) < 1e-6)
    }

    @Test func ringLeadersAreTheBestOfEachNeighbourhood() throws {
        let swarm = try ParticleSwarm(populationSize: 5, topology: .ring)
        var leaders: [Int] = []
        swarm.chooseLeaders([5, 1, 4, 3, 2], into: &leaders)
        #expect(leaders == [1, 1, 1, 4, 4])
    }
}

@Suite struct DifferentialEvolutionTests {
    @Test func donorsAreDistinctFromEachOtherAndTheTarget() {
        var rng = RandomStream(seed: 41)
        for trial in 0..<10_000 {
            let i = trial % 4
            let (r1, r2, r3) = DifferentialEvolution.distinctOthers(of: i, below: 4, rng: &rng)
            #expect(Set([i, r1, r2, r3]).count == 4)
        }
    }

    @Test func crossoverRateZeroChangesExactlyOneGeneToTheMutant() throws {
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: 8))
        let de = try DifferentialEvolution(populationSize: 6, differentialWeight: 0.5, crossoverRate: 0)
        var rng = RandomStream(seed: 42)
        var state = try de.initialState(problem, from: [Float](repeating: 1, count: 8), rng: &rng)
        var population = PopulationMatrix(count: 6, dimension: 8)
        de.ask(&state, into: &population, rng: &rng)
        de.tell(&state, population: &population, fitness: [6, 5, 4, 3, 2, 1])
        de.ask(&state, into: &population, rng: &rng)
        for i in 0..<6 {
            let differences = zip(population.row(i), state.members.row(i)).filter { $0 != $1 }.count
            #expect(differences == 1)
        }
    }
}

@Suite struct AnnealingPieceTests {
    @Test func metropolisAcceptsUphillMovesWithProbabilityExpMinusDeltaOverT() {
        #expect(Metropolis.acceptance(delta: -1, temperature: 1) == 1)
        #expect(Metropolis.acceptance(delta: 1, temperature: 0) == 0)
        #expect(abs(Metropolis.acceptance(delta: 0.3, temperature: 0.2) - exp(-1.5)) < 1e-12)
        var rng = RandomStream(seed: 51)
        let draws = 100_000
        let accepted = (0..<draws).filter { _ in Metropolis.accepts(candidate: 1.3, current: 1, temperature: 0.2, rng: &rng) }.count
        #expect(withinSampling(Double(accepted) / Double(draws), exp(-1.5), draws: draws))
        #expect(!Metropolis.accepts(candidate: .infinity, current: 1, temperature: 1e30, rng: &rng))
    }

    @Test func schedulesFollowTheirFormulas() {
        #expect(CoolingSchedule.exponential(rate: 0.5).temperature(after: 3, from: 8) == 1)
        #expect(CoolingSchedule.linear(moves: 10).temperature(after: 5, from: 8) == 4)
        #expect(CoolingSchedule.linear(moves: 10).temperature(after: 20, from: 8) == 0)
        #expect(abs(CoolingSchedule.logarithmic.temperature(after: 2, from: 8) - 4) < 1e-12)  // 8·ln 2/ln 4
        #expect(CoolingSchedule.fast.temperature(after: 3, from: 8) == 2)
        for schedule in [CoolingSchedule.exponential(rate: 0.9), .linear(moves: 5), .logarithmic, .fast] {
            #expect(abs(schedule.temperature(after: 0, from: 3) - 3) < 1e-12)
        }
    }

    @Test func subsetMovesTouchTheRequestedShareAndRevertExactly() throws {
        let move = try Perturbation(kind: .cauchy, fraction: 0.01)
        var weights = (0..<10_000).map { Float($0) }
        let original = weights
        var undo: [(index: Int, value: Float)] = []
        var rng = RandomStream(seed: 52)
        weights.withUnsafeMutableBufferPointer { move.apply(to: $0, scale: 1, undo: &undo, rng: &rng) }
        #expect(undo.count == 100)
        let changed = zip(weights, original).filter { $0 != $1 }.count
        #expect(changed > 90 && changed <= 100)  // draws with replacement may repeat an index
        weights.withUnsafeMutableBufferPointer { Perturbation.revert($0, undo: undo) }
        #expect(weights == original)
    }
}

@Suite struct CMAParameterTests {
    @Test func tenDimensionalDefaultsMatchHansensTable() {
        // n = 10: λ = 4 + ⌊3 ln 10⌋ = 10, μ = 5, w′ᵢ = ln 5.5 − ln i.
        let p = CMAParameters(dimension: 10, lambda: CMAParameters.defaultLambda(dimension: 10), separable: false)
        #expect(p.lambda == 10 && p.mu == 5)
        let raw = (1...5).map { log(5.5) - log(Double($0)) }
        let muEff = pow(raw.reduce(0, +), 2) / raw.reduce(0) { $0 + $1 * $1 }
        #expect(isApproximatelyEqual(p.muEff, muEff, absolute: 1e-12))
        #expect(isApproximatelyEqual(muEff, 3.1672, absolute: 1e-4))
        #expect(abs(p.cs - (muEff + 2) / (10 + muEff + 5)) < 1e-12)
        #expect(abs(p.c1 - 2 / (11.3 * 11.3 + muEff)) < 1e-12)
        #expect(abs(p.cmu - 2 * (muEff - 2 + 1 / muEff) / (144 + muEff)) < 1e-12)
        #expect(abs(p.damps - (1 + p.cs)) < 1e-12)  // √((μ_eff − 1)/11) < 1
        #expect(abs(p.weights.prefix(5).reduce(0, +) - 1) < 1e-12)
        #expect(p.weights.suffix(5).allSatisfy { $0 < 0 })
        // The active weights' total magnitude is min(α_μ⁻, α_μeff⁻, α_posdef⁻).
        let negative = (6...10).map { log(5.5) - log(Double($0)) }
        let muEffMinus = pow(negative.reduce(0, +), 2) / negative.reduce(0) { $0 + $1 * $1 }
        let alpha = min(1 + p.c1 / p.cmu, 1 + 2 * muEffMinus / (muEff + 2), (1 - p.c1 - p.cmu) / (10 * p.cmu))
        #expect(abs(-p.weights.suffix(5).reduce(0, +) - alpha) < 1e-12)
    }

    @Test func separableRatesAreScaledAndWeightsPositive() {
        let full = CMAParameters(dimension: 100, lambda: 20, separable: false)
        let sep = CMAParameters(dimension: 100, lambda: 20, separable: true)
        #expect(isApproximatelyEqual(sep.c1, full.c1 * 102 / 3, absolute: 1e-12))
        #expect(abs(sep.cmu - min(1 - sep.c1, full.cmu * 102 / 3)) < 1e-12)
        #expect(sep.weights.allSatisfy { $0 >= 0 })
    }
}
