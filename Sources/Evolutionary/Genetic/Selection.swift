import WeightLabCore

/// How a genetic algorithm picks parents from a priced population (minimization: lower
/// fitness is better, +∞ is the worst). Every scheme draws with replacement.
public enum Selection: Sendable, Equatable, Codable {
    /// The best of `size` individuals drawn uniformly with replacement (ties: the first drawn).
    /// The individual of rank r (0 = best, all fitness distinct) wins with probability
    /// ((n − r)ᵏ − (n − r − 1)ᵏ)/nᵏ (Goldberg & Deb, 1991; DEAP's `selTournament`).
    case tournament(size: Int)
    /// Fitness-proportionate on shifted fitness: weight wᵢ = f_worst − fᵢ, with f_worst the
    /// worst finite fitness, so the worst (and every non-finite) individual has weight 0;
    /// uniform when all weights vanish (Holland, 1975; shifted for minimization).
    case roulette
    /// Linear ranking (Baker, 1985): the individual of rank r (0 = best) has probability
    /// (1/n)·(s − 2(s − 1)·r/(n − 1)), from s/n for the best to (2 − s)/n for the worst;
    /// `pressure` s ∈ [1, 2].
    case rank(pressure: Float)
    /// Uniform among the best ⌈fraction·n⌉ individuals (Mühlenbein & Schlierkamp-Voosen, 1993;
    /// the selection of Such et al., 2017's deep-neuroevolution GA).
    case truncation(fraction: Float)

    /// Throws unless the scheme's parameter is in range.
    public func validate() throws {
        switch self {
        case .tournament(let size): try validateCount("tournamentSize", size, atLeast: 1)
        case .roulette: break
        case .rank(let pressure): try OperatorParameters.selectionPressure.check(pressure)
        case .truncation(let fraction):
            guard fraction.isFinite, fraction > 0, fraction <= 1 else {
                throw WeightLabError.parameter("truncation", fraction, allowed: "a share in (0, 1]")
            }
        }
    }

    /// Writes `count` parent indices into `parents`. `order` holds the population's indices
    /// sorted best first (`Fitness.sortIndices`); `weights` is scratch for the cumulative
    /// probabilities of roulette and rank selection.
    public func choose(
        _ count: Int, fitness: [Float], order: [Int], weights: inout [Double],
        into parents: inout [Int], rng: inout RandomStream
    ) {
        let n = fitness.count
        if parents.count != count { parents = [Int](repeating: 0, count: count) }
        guard n > 0 else { return }
        switch self {
        case .tournament(let size):
            for j in 0..<count {
                var winner = rng.index(below: n)
                for _ in 1..<max(size, 1) {
                    let challenger = rng.index(below: n)
                    if fitness[challenger] < fitness[winner] { winner = challenger }
                }
                parents[j] = winner
            }
        case .truncation(let fraction):
            let pool = min(n, max(1, Int((fraction * Float(n)).rounded(.up))))
            for j in 0..<count { parents[j] = order[rng.index(below: pool)] }
        case .roulette:
            if weights.count != n { weights = [Double](repeating: 0, count: n) }
            let worst = fitness.lazy.filter(\.isFinite).max() ?? 0
            var total = 0.0
            for i in 0..<n {
                total += fitness[i].isFinite ? Double(worst - fitness[i]) : 0
                weights[i] = total
            }
            drawProportional(count, cumulative: weights, total: total, map: nil, into: &parents, rng: &rng)
        case .rank(let pressure):
            if weights.count != n { weights = [Double](repeating: 0, count: n) }
            let s = Double(pressure)
            var total = 0.0
            for r in 0..<n {
                total += n > 1 ? (s - 2 * (s - 1) * Double(r) / Double(n - 1)) / Double(n) : 1
                weights[r] = total
            }
            drawProportional(count, cumulative: weights, total: total, map: order, into: &parents, rng: &rng)
        }
    }

    /// Draws indices with probability proportional to the increments of `cumulative`
    /// (binary search), uniformly when `total` is 0; `map` translates positions to indices.
    private func drawProportional(
        _ count: Int, cumulative: [Double], total: Double, map: [Int]?,
        into parents: inout [Int], rng: inout RandomStream
    ) {
        let n = cumulative.count
        for j in 0..<count {
            var position: Int
            if total > 0, total.isFinite {
                let target = rng.uniformDouble() * total
                var low = 0
                var high = n - 1
                while low < high {
                    let mid = (low + high) / 2
                    if cumulative[mid] > target { high = mid } else { low = mid + 1 }
                }
                position = low
            } else {
                position = rng.index(below: n)
            }
            parents[j] = map?[position] ?? position
        }
    }
}
