import WeightLabCore
import WeightLabEvolutionary

/// The migration rule of an island model, after DEAP's `tools.migRing` as its island example
/// uses it (`migRing(populations, k, selection=selBest, replacement=selWorst)`, from
/// `examples/ga/onemax_island.py`): each island's k best individuals emigrate, and on
/// arrival they replace the destination's k worst.
public enum Migration {
    /// Which island each island's immigrants come from.
    public enum Topology: String, CaseIterable, Sendable, Codable {
        /// Island i receives from island i − 1 (mod n), as `migRing` sends.
        case ring
        /// Each island receives from another island drawn uniformly at random at every migration.
        case random
    }

    /// Copies of the `k` best rows of `population` (ties by lower index), best first.
    public static func emigrants(_ k: Int, of population: PopulationMatrix, fitness: [Float]) -> PopulationMatrix {
        var order: [Int] = []
        Fitness.sortIndices(fitness, count: population.count, into: &order)
        var chosen = PopulationMatrix(count: min(k, population.count), dimension: population.dimension)
        for (j, i) in order.prefix(chosen.count).enumerated() { chosen.copyRow(i, of: population, to: j) }
        return chosen
    }

    /// Puts `immigrants` (with their `immigrantFitness`) over the worst rows of `population`
    /// (ties: the higher index is worse), one immigrant per row, leaving every other row as it was.
    public static func replaceWorst(
        _ population: inout PopulationMatrix, fitness: inout [Float], with immigrants: PopulationMatrix, immigrantFitness: [Float]
    ) {
        var order: [Int] = []
        Fitness.sortIndices(fitness, count: population.count, into: &order)
        for (j, i) in order.reversed().prefix(immigrants.count).enumerated() {
            population.copyRow(j, of: immigrants, to: i)
            fitness[i] = immigrantFitness[j]
        }
    }

    /// The island each island receives its immigrants from: the previous one on the ring, or
    /// for `random` another one drawn from `rng`.
    public static func sources(_ islands: Int, topology: Topology, rng: inout RandomStream) -> [Int] {
        switch topology {
        case .ring:
            return (0..<islands).map { ($0 + islands - 1) % islands }
        case .random:
            return (0..<islands).map { i in
                let other = rng.index(below: islands - 1)
                return other < i ? other : other + 1
            }
        }
    }
}
