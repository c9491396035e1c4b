import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabEvolutionary

/// How often each index was chosen, as shares of `draws` selections.
func selectionShares(_ selection: Selection, fitness: [Float], draws: Int, seed: UInt64) -> [Double] {
    var rng = RandomStream(seed: seed)
    var order: [Int] = []
    Fitness.sortIndices(fitness, into: &order)
    var weights: [Double] = []
    var parents: [Int] = []
    selection.choose(draws, fitness: fitness, order: order, weights: &weights, into: &parents, rng: &rng)
    var counts = [Int](repeating: 0, count: fitness.count)
    for p in parents { counts[p] += 1 }
    return counts.map { Double($0) / Double(draws) }
}

@Suite struct SelectionTests {
    @Test func tournamentOfTwoPicksTheBetterOfTwoThreeTimesInFour() {
        // With replacement, the worse one wins only when drawn twice: 1 − (1/2)² = 3/4.
        let shares = selectionShares(.tournament(size: 2), fitness: [2, 1], draws: 100_000, seed: 1)
        #expect(withinSampling(shares[1], 0.75, draws: 100_000))
    }

    @Test func tournamentRankProbabilitiesMatchTheClosedForm() {
        // P(rank r wins) = ((n − r)ᵏ − (n − r − 1)ᵏ)/nᵏ for n = 5, k = 3:
        // 61/125, 37/125, 19/125, 7/125, 1/125 for ranks 0…4.
        let fitness: [Float] = [5, 3, 1, 4, 2]  // ranks: index 2, 4, 1, 3, 0
        let expected: [Int: Double] = [2: 61 / 125, 4: 37 / 125, 1: 19 / 125, 3: 7 / 125, 0: 1 / 125]
        let shares = selectionShares(.tournament(size: 3), fitness: fitness, draws: 200_000, seed: 2)
        for (index, p) in expected {
            #expect(withinSampling(shares[index], p, draws: 200_000), "index \(index): \(shares[index]) vs \(p)")
        }
    }

    @Test func rouletteIsProportionalToTheShiftedFitness() {
        // Worst finite fitness 4: weights 3, 2, 0, and 0 for the diverged individual.
        let shares = selectionShares(.roulette, fitness: [1, 2, 4, .infinity], draws: 100_000, seed: 3)
        #expect(withinSampling(shares[0], 0.6, draws: 100_000))
        #expect(withinSampling(shares[1], 0.4, draws: 100_000))
        #expect(shares[2] == 0)
        #expect(shares[3] == 0)
    }

    @Test func linearRankingFollowsBakersProbabilities() {
        // n = 4, s = 2: (1/4)(2 − 2r/3) = 1/2, 1/3, 1/6, 0 for ranks 0…3.
        let shares = selectionShares(.rank(pressure: 2), fitness: [0.3, 0.1, 0.4, 0.2], draws: 100_000, seed: 4)
        #expect(withinSampling(shares[1], 1.0 / 2, draws: 100_000))
        #expect(withinSampling(shares[3], 1.0 / 3, draws: 100_000))
        #expect(withinSampling(shares[0], 1.0 / 6, draws: 100_000))
        #expect(shares[2] == 0)
    }

    @Test func truncationChoosesUniformlyAmongTheBest() {
        let shares = selectionShares(.truncation(fraction: 0.5), fitness: [6, 1, 5, 2, 4, 3], draws: 60_000, seed: 5)
        for index in [1, 3, 5] { #expect(withinSampling(shares[index], 1.0 / 3, draws: 60_000)) }
        for index in [0, 2, 4] { #expect(shares[index] == 0) }
    }
}

@Suite struct CrossoverTests {
    let a: [Float] = (0..<1000).map { Float($0 % 7) - 3 }
    let b: [Float] = (0..<1000).map { Float($0 % 5) * 0.5 }

    func children(_ crossover: Crossover, seed: UInt64) -> ([Float], [Float]) {
        var rng = RandomStream(seed: seed)
        var first = [Float](repeating: 0, count: a.count)
        var second = [Float](repeating: 0, count: a.count)
        first.withUnsafeMutableBufferPointer { c1 in
            second.withUnsafeMutableBufferPointer { c2 in
                crossover.cross(a, b, count: a.count, into: c1.baseAddress!, c2.baseAddress!, rng: &rng)
            }
        }
        return (first, second)
    }

    @Test func blendChildrenStayInTheWidenedIntervalAndFillIt() {
        // BLX-0.5: each gene uniform on [min − ½I, max + ½I]; half of that width lies outside [min, max].
        var outside = 0
        var genes = 0
        for seed in 1...20 as ClosedRange<UInt64> {
            let (c1, c2) = children(.blend(alpha: 0.5), seed: seed)
            for i in a.indices where a[i] != b[i] {
                let low = min(a[i], b[i])
                let high = max(a[i], b[i])
                let reach = 0.5 * (high - low)
                for c in [c1[i], c2[i]] {
                    #expect(c >= low - reach - 1e-5 && c <= high + reach + 1e-5)
                    if c < low || c > high { outside += 1 }
                    genes += 1
                }
            }
        }
        #expect(withinSampling(Double(outside) / Double(genes), 0.5, draws: genes))
    }

    @Test func simulatedBinaryChildrenKeepTheParentsMeanAndSpreadByBeta() {
        // c₁ + c₂ = a + b, and β = |c₁ − c₂|/|a − b| has P(β ≤ x) = x^(η+1)/2 for x ≤ 1.
        let eta: Float = 15
        var contracting = 0
        var tight = 0
        var genes = 0
        for seed in 1...20 as ClosedRange<UInt64> {
            let (c1, c2) = children(.simulatedBinary(eta: eta), seed: seed)
            for i in a.indices where abs(a[i] - b[i]) > 0.25 {
                #expect(abs((c1[i] + c2[i]) - (a[i] + b[i])) < 1e-4)
                let beta = abs(c1[i] - c2[i]) / abs(a[i] - b[i])
                if beta <= 1 { contracting += 1 }
                if beta <= 0.9 { tight += 1 }
                genes += 1
            }
        }
        #expect(withinSampling(Double(contracting) / Double(genes), 0.5, draws: genes))
        #expect(withinSampling(Double(tight) / Double(genes), pow(0.9, 16) / 2, draws: genes))
    }

    @Test func uniformAndPointCrossoversOnlyExchangeGenes() {
        for crossover in [Crossover.uniform, .onePoint, .twoPoint] {
            let (c1, c2) = children(crossover, seed: 9)
            var exchanged = 0
            for i in a.indices {
                #expect((c1[i] == a[i] && c2[i] == b[i]) || (c1[i] == b[i] && c2[i] == a[i]))
                if c1[i] == b[i], a[i] != b[i] { exchanged += 1 }
            }
            #expect(exchanged > 0, "\(crossover) exchanged nothing")
        }
        // One point: the exchanged genes form one suffix.
        let (c1, _) = children(.onePoint, seed: 10)
        let firstFromB = a.indices.first { c1[$0] == b[$0] && a[$0] != b[$0] } ?? a.count
        #expect(a.indices.allSatisfy { $0 < firstFromB || c1[$0] == b[$0] })
    }
}

@Suite struct MutationTests {
    /// Both ways of choosing genes: geometric skipping (rate below 1/16) and a Bernoulli
    /// trial per gene (above).
    @Test(arguments: [Float(0.05), 0.3])
    func eachGeneMutatesWithTheGivenRateAndSigma(_ rate: Float) throws {
        let n = 200_000
        let mutation = try GaussianMutation(rate: rate, sigma: 0.3)
        var genes = [Float](repeating: 0, count: n)
        var rng = RandomStream(seed: 11)
        genes.withUnsafeMutableBufferPointer { mutation.mutate($0.baseAddress!, count: n, sigma: 0.3, rng: &rng) }
        let changed = genes.filter { $0 != 0 }
        #expect(withinSampling(Double(changed.count) / Double(n), Double(rate), draws: n))
        let deviation = (changed.reduce(0) { $0 + Double($1 * $1) } / Double(changed.count)).squareRoot()
        #expect(isApproximatelyEqual(deviation, 0.3, absolute: 0.3 * 0.05))
    }

    @Test func rateZeroChangesNothingAndRateOneChangesEverything() throws {
        var rng = RandomStream(seed: 12)
        var genes = [Float](repeating: 1, count: 10_000)
        try GaussianMutation(rate: 0, sigma: 1).mutate(&genes, count: genes.count, sigma: 1, rng: &rng)
        #expect(genes.allSatisfy { $0 == 1 })
        try GaussianMutation(rate: 1, sigma: 1).mutate(&genes, count: genes.count, sigma: 1, rng: &rng)
        #expect(genes.allSatisfy { $0 != 1 })
    }

    @Test func selfAdaptiveSigmaIsLogNormalWithRateOneOverRootN() throws {
        // σ' = σ·exp(τN(0,1)) with τ = 1/√n: ln(σ'/σ) has standard deviation 0.1 for n = 100.
        let mutation = try GaussianMutation(rate: 1, sigma: 1, selfAdaptive: true)
        var rng = RandomStream(seed: 13)
        let logs = (0..<20_000).map { _ in Double(log(mutation.childSigma(from: 2, count: 100, rng: &rng) / 2)) }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let deviation = (logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(logs.count)).squareRoot()
        #expect(abs(mean) < 0.005)
        #expect(isApproximatelyEqual(deviation, 0.1, absolute: 0.003))
        let fixed = try GaussianMutation(rate: 1, sigma: 1)
        #expect(fixed.childSigma(from: 2, count: 100, rng: &rng) == 2)
    }

    @Test func elitesSurviveUnchanged() throws {
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: 5))
        let ga = try GeneticAlgorithm(populationSize: 10, elitism: 2)
        var rng = RandomStream(seed: 14)
        var state = try ga.initialState(problem, from: [1, 1, 1, 1, 1], rng: &rng)
        var population = PopulationMatrix(count: 10, dimension: 5)
        ga.ask(&state, into: &population, rng: &rng)
        let fitness: [Float] = (0..<10).map { Float(10 - $0) }  // the last two rows are the best
        let best = population.row(9)
        let second = population.row(8)
        ga.tell(&state, population: &population, fitness: fitness)
        ga.ask(&state, into: &population, rng: &rng)
        #expect(population.row(0) == best)
        #expect(population.row(1) == second)
    }
}
