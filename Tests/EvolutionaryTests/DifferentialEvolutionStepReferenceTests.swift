import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabEvolutionary

/// DE/rand/1/bin one generation at a time against Storn & Price (1997): every trial uᵢ must
/// be a binomial crossover of xᵢ with a mutant x_r1 + F·(x_r2 − x_r3) for some r₁, r₂, r₃
/// distinct from each other and from i, and selection keeps the trial when f(uᵢ) ≤ f(xᵢ).
/// The best/1 and current-to-best/1 mutants are checked the same way. The indices are not read
/// from the strategy: the test searches all donor choices in a planted population whose
/// members are pairwise unrelated, where exactly one choice can fit.
@Suite struct DifferentialEvolutionStepReferenceTests {
    static let (p, d) = (6, 5)

    /// A population whose coordinates are pairwise unrelated (no mutant of one triple equals
    /// another's or a member's coordinate).
    static func planted(_ de: DifferentialEvolution, rng: inout RandomStream) throws -> DifferentialEvolution.State {
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: d), start: [Float](repeating: 0, count: d), spread: 1)
        var state = try de.initialState(problem, from: [Float](repeating: 0, count: d), rng: &rng)
        for k in 0..<(p * d) { state.members.values[k] = sin(Float(k) * 1.3 + 0.4) * (1 + Float(k % 7) * 0.1) }
        state.fitness = [0.5, 0.2, 0.9, 0.4, 0.7, 0.1]
        return state
    }

    /// For trial i, the donor indices that explain it and which coordinates came from the
    /// mutant `mutant(donors, j)`: triples (r₁, r₂, r₃) for rand/1, pairs (r₁, r₂) for the
    /// variants with one random difference, all distinct and ≠ i.
    static func explanations(
        trial: [Double], members: [[Double]], i: Int, donors: Int, mutant: ([Int], Int) -> Double
    ) -> [(donors: [Int], fromMutant: [Bool])] {
        var candidates: [[Int]] = [[]]
        for _ in 0..<donors {
            candidates = candidates.flatMap { prefix in (0..<p).filter { $0 != i && !prefix.contains($0) }.map { prefix + [$0] } }
        }
        var found: [([Int], [Bool])] = []
        for r in candidates {
            var fromMutant = [Bool](repeating: false, count: d)
            var fits = true
            for j in 0..<d {
                if isApproximatelyEqual(trial[j], mutant(r, j), absolute: 1e-6) {
                    fromMutant[j] = true
                } else if trial[j] != members[i][j] {
                    fits = false
                }
            }
            // Binomial crossover always takes at least one coordinate from the mutant.
            if fits && fromMutant.contains(true) { found.append((r, fromMutant)) }
        }
        return found
    }

    static func rows(_ m: PopulationMatrix) -> [[Double]] {
        (0..<m.count).map { i in (0..<m.dimension).map { Double(m.values[i * m.dimension + $0]) } }
    }

    /// CR = 1 takes every coordinate from the mutant, CR = 0 exactly one (the forced jrand),
    /// CR = 0.5 a mix; then one-to-one selection, a tie going to the trial.
    @Test(arguments: [Float(1), 0, 0.5])
    func trialsAreBinomialCrossoversOfRandOneMutants(crossoverRate: Float) throws {
        let de = try DifferentialEvolution(populationSize: Self.p, variant: .rand1, differentialWeight: 0.8, crossoverRate: crossoverRate)
        var rng = RandomStream(seed: 1997)
        var state = try Self.planted(de, rng: &rng)
        let members = Self.rows(state.members)
        var population = PopulationMatrix(count: Self.p, dimension: Self.d)
        de.ask(&state, into: &population, rng: &rng)
        let trials = Self.rows(population)
        var mutantCounts: [Int] = []
        for i in 0..<Self.p {
            let f = Double(Float(0.8))
            let found = Self.explanations(trial: trials[i], members: members, i: i, donors: 3) { r, j in
                members[r[0]][j] + f * (members[r[1]][j] - members[r[2]][j])
            }
            #expect(found.count == 1, "trial \(i) is explained by \(found.count) triples")
            guard let only = found.first else { continue }
            mutantCounts.append(only.fromMutant.filter { $0 }.count)
        }
        switch crossoverRate {
        case 1: #expect(mutantCounts.allSatisfy { $0 == Self.d })
        case 0: #expect(mutantCounts.allSatisfy { $0 == 1 })
        default: #expect(mutantCounts.contains { $0 > 1 && $0 < Self.d }, "CR = 0.5 mixes: \(mutantCounts)")
        }

        let parentFitness = state.fitness
        let fitness: [Float] = [0.4, 0.3, 0.9, 0.1, 0.8, 0.05]  // better, worse, tie, better, worse, better
        de.tell(&state, population: &population, fitness: fitness)
        let after = Self.rows(state.members)
        for i in 0..<Self.p {
            let kept = fitness[i] <= parentFitness[i]
            #expect(after[i] == (kept ? trials[i] : members[i]), "member \(i)")
            #expect(state.fitness[i] == (kept ? fitness[i] : parentFitness[i]), "f(member \(i))")
        }
    }

    /// best/1: v = x_best + F·(x_r1 − x_r2); current-to-best/1: v = xᵢ + F·(x_best − xᵢ) +
    /// F·(x_r1 − x_r2), x_best the member of lowest fitness (member 5 of the planted ones).
    @Test(arguments: [DifferentialEvolution.Variant.best1, .currentToBest1])
    func theOtherVariantsBuildTheirMutants(variant: DifferentialEvolution.Variant) throws {
        let de = try DifferentialEvolution(populationSize: Self.p, variant: variant, differentialWeight: 0.6, crossoverRate: 0.7)
        var rng = RandomStream(seed: 1995)
        var state = try Self.planted(de, rng: &rng)
        let members = Self.rows(state.members)
        let best = 5
        var population = PopulationMatrix(count: Self.p, dimension: Self.d)
        de.ask(&state, into: &population, rng: &rng)
        let trials = Self.rows(population)
        let f = Double(Float(0.6))
        for i in 0..<Self.p {
            let found = Self.explanations(trial: trials[i], members: members, i: i, donors: 2) { r, j in
                let difference = f * (members[r[0]][j] - members[r[1]][j])
                return variant == .best1
                    ? members[best][j] + difference
                    : members[i][j] + f * (members[best][j] - members[i][j]) + difference
            }
            #expect(found.count == 1, "trial \(i) is explained by \(found.count) pairs")
        }
    }
}
