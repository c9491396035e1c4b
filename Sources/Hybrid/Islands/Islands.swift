import WeightLabCore
import WeightLabEvolutionary

/// An island model: n independent runs of one population method (the islands) that exchange
/// their best individuals every m generations (Cantú-Paz, "Efficient and Accurate Parallel
/// Genetic Algorithms", Kluwer 2000; the rule is DEAP's island example, see `Migration`).
///
/// One step is one generation of every island, in island order:
///
///     for each island i:  population ← ask;  f ← fitness on the generation's batch
///         when the generation number g is a multiple of m:
///             the k best of island s's generation g − 1 (s sends to i) are priced on this batch
///             and replace the k worst of island i's population
///         when g + 1 is a multiple of m:  keep copies of island i's k best (its emigrants)
///         tell island i
///
/// Emigrants leave from the generation before a migration, so every island's have been
/// chosen before any island receives (islands step in turn; the exchange is synchronous as in
/// DEAP). Immigrants are priced again on the receiving generation's batch, which keeps fitness
/// comparable when the batch is resampled. Islands start from independent draws of the
/// problem's initializer (island 0 from the run's starting point).
///
/// **Ranks and threads.** Each island's generation is evaluated in parallel over the threads
/// and, under `mpirun`, shared among the ranks (every rank holds every island, as every rank
/// holds any population method's state; only fitness values travel). So one checkpoint holds
/// every island and the trace is the same for any rank count.
///
/// Cost per generation: n·P·b (P individuals per island, b fitness samples), plus n·k·b at a
/// migration.
public struct Islands<Population: PopulationMethod>: CombiningOptimizer {
    public let population: Population
    /// n, the number of islands (≥ 2). Default 4.
    public let islands: Int
    /// k, the emigrants per island and migration (≥ 1). Default 2.
    public let migrants: Int
    /// m, generations between migrations (≥ 1). Default 5.
    public let interval: Int
    public let topology: Migration.Topology

    public var name: String { "islands" }
    public var parts: [AnyWeightOptimizer] { [AnyWeightOptimizer(population)] }

    public init(population: Population, islands: Int = 4, migrants: Int = 2, interval: Int = 5, topology: Migration.Topology = .ring) throws {
        self.population = population
        self.islands = try IslandsSpecification.islands.checked(islands)
        self.migrants = try IslandsSpecification.migrants.checked(migrants)
        self.interval = try IslandsSpecification.interval.checked(interval)
        self.topology = topology
    }

    public struct State: Codable, Sendable {
        /// Every island's state.
        public var islands: [Population.State]
        /// The emigrants chosen for the next migration, one matrix per island (empty between).
        public var emigrants: [PopulationMatrix]
        /// The incumbent and its fitness (+∞ before the first generation).
        @PackedFloats public var best: [Float]
        public var bestFitness: Float
        /// Generations completed.
        public var generation: Int
        /// Individuals that have migrated so far.
        public var migrations: Int
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        var states: [Population.State] = []
        for island in 0..<islands {
            let start = island == 0 ? initial : problem.sampleWeights(&run.rng)
            states.append(try population.start(problem, from: start, run: &run))
        }
        return State(islands: states, emigrants: [], best: initial, bestFitness: .infinity, generation: 0, migrations: 0)
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        try checkFits(state, problem)
        let g = state.generation + 1
        let migrating = g % interval == 0 && state.emigrants.count == islands
        let choosing = (g + 1) % interval == 0
        let sources = migrating ? Migration.sources(islands, topology: topology, rng: &run.rng) : []
        let comparable: Bool
        if case .resampled = problem.fitnessSamples { comparable = false } else { comparable = true }
        let arriving = state.emigrants
        var leaving: [PopulationMatrix] = []
        var best = state.best
        var bestFitness = comparable ? state.bestFitness : .infinity
        var moved = 0
        var finished: [String] = []
        for island in 0..<islands {
            let report = try population.step(&state.islands[island], problem, run: &run) { individuals, fitness, batch, _ in
                if migrating {
                    let immigrants = arriving[sources[island]]
                    let priced = try Pricing.fitness(of: immigrants, on: batch, problem)
                    Migration.replaceWorst(&individuals, fitness: &fitness, with: immigrants, immigrantFitness: priced)
                    moved += immigrants.count
                }
                if choosing { leaving.append(Migration.emigrants(migrants, of: individuals, fitness: fitness)) }
                let leader = Fitness.argmin(fitness)
                if fitness[leader] < bestFitness {
                    bestFitness = fitness[leader]
                    best = individuals.row(leader)
                }
            }
            if let reason = report.finished { finished.append("island \(island): \(reason)") }
        }
        state.emigrants = leaving
        state.best = best
        state.bestFitness = bestFitness
        state.generation = g
        state.migrations += moved
        return StepReport(loss: bestFitness, finished: finished.count == islands ? finished.joined(separator: "; ") : nil, part: population.name)
    }

    public func incumbent(_ state: State) -> [Float] { state.best }
}
