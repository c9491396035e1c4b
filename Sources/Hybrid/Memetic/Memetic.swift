import WeightLabCore
import WeightLabEvolutionary

/// A memetic algorithm: a population method whose best individuals (or all of them) are
/// refined every generation by a few steps of a local optimizer, usually a gradient method
/// (Moscato, "On Evolution, Search, Optimization, Genetic Algorithms and Martial Arts:
/// Towards Memetic Algorithms", Caltech C3P report 826, 1989; for the two inheritance modes,
/// Whitley, Gordon & Mathias, "Lamarckian Evolution, the Baldwin Effect and Function
/// Optimization", PPSN III, 1994).
///
/// One step is one generation of the population method:
///
///     population ← ask;  f ← fitness of each individual on the generation's batch
///     for each of the m best individuals x (or all):
///         x' ← k steps of the local optimizer started fresh from x
///         f(x) ← fitness of x' on the same batch
///         lamarckian: x ← x'            (the learned weights are inherited)
///         baldwinian: x unchanged       (only the fitness of what x can learn counts)
///     tell the population method (population, f)
///
/// The incumbent is the best point whose fitness was measured: a refined point x' or an
/// unrefined individual, whichever is lower (in Baldwinian mode, then, a refined point that
/// is not in the population). Under a resampled fitness subset, as with `AskTellOptimizer`,
/// it is the best point of the latest generation.
///
/// Cost per generation: P·n for the population (P individuals, n fitness samples), plus for
/// each refined individual the local optimizer's k steps (3b per mini-batch gradient step of
/// b samples) and n to price the refined point — all charged to the problem's one ledger.
public struct Memetic<Population: PopulationMethod>: CombiningOptimizer {
    public let population: Population
    public let local: AnyWeightOptimizer
    /// k, the local optimizer's steps per refinement.
    public let localSteps: Int
    public let refinement: Refinement
    public let inheritance: Inheritance
    private let label: String

    public var name: String { "memetic" }
    public var parts: [AnyWeightOptimizer] { [AnyWeightOptimizer(population), local] }

    /// - Parameters:
    ///   - population: the population method (a GA, DE, PSO, an evolution strategy, ...).
    ///   - local: the refining optimizer, started afresh from each individual.
    ///   - localSteps: k ≥ 1 (default 5).
    ///   - refinement: `.best(m)` with m ≥ 1 (default `.best(1)`), or `.all`.
    ///   - inheritance: `.lamarckian` (default) or `.baldwinian`.
    public init(
        population: Population, local: any WeightOptimizer, localSteps: Int = 5,
        refinement: Refinement = .best(1), inheritance: Inheritance = .lamarckian
    ) throws {
        try validateCount("localSteps", localSteps, atLeast: 1)
        if case .best(let m) = refinement { try validateCount("refine", m, atLeast: 1) }
        self.population = population
        self.local = AnyWeightOptimizer(local)
        self.localSteps = localSteps
        self.refinement = refinement
        self.inheritance = inheritance
        self.label = "\(population.name)+\(self.local.name)"
    }

    public struct State: Codable, Sendable {
        /// The population method's state.
        public var population: Population.State
        /// The incumbent and its fitness (+∞ before the first generation).
        @PackedFloats public var best: [Float]
        public var bestFitness: Float
        /// Individuals refined so far, and the ledger units their refinement cost.
        public var refinements: Int
        public var refinementUnits: Int
        /// Working memory of one generation, not part of a checkpoint.
        var order: [Int] = []
        var refined = PopulationMatrix(count: 0, dimension: 0)

        enum CodingKeys: String, CodingKey {
            case population, best, bestFitness, refinements, refinementUnits
        }
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        State(population: try population.start(problem, from: initial, run: &run), best: initial, bestFitness: .infinity, refinements: 0, refinementUnits: 0)
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        // The amend closure works on locals: `state.population` is exclusively borrowed meanwhile.
        var order: [Int] = []
        var refined = PopulationMatrix(count: 0, dimension: 0)
        var best: [Float] = []
        swap(&order, &state.order)
        swap(&refined, &state.refined)
        swap(&best, &state.best)
        var bestFitness = state.bestFitness
        var refinedCount = 0
        var units = 0
        defer {
            swap(&order, &state.order)
            swap(&refined, &state.refined)
            swap(&best, &state.best)
            state.bestFitness = bestFitness
            state.refinements += refinedCount
            state.refinementUnits += units
        }
        let comparable: Bool
        if case .resampled = problem.fitnessSamples { comparable = false } else { comparable = true }
        let report = try population.step(&state.population, problem, run: &run) { individuals, fitness, batch, run in
            Fitness.sortIndices(fitness, into: &order)
            let m = refinement.count(of: individuals.count)
            (_, units) = try problem.unitsCharged {
                try refine(order.prefix(m), of: individuals, into: &refined, problem, run: &run)
            }
            refinedCount = m
            let (refinedFitness, pricing) = try problem.unitsCharged { try Pricing.fitness(of: refined, on: batch, problem) }
            units += pricing
            var leader: (fitness: Float, row: Int, refined: Bool) = (.infinity, 0, false)
            for (j, i) in order.prefix(m).enumerated() {
                fitness[i] = refinedFitness[j]
                if inheritance == .lamarckian { individuals.copyRow(j, of: refined, to: i) }
                if refinedFitness[j] < leader.fitness { leader = (refinedFitness[j], j, true) }
            }
            for i in order.dropFirst(m) where fitness[i] < leader.fitness { leader = (fitness[i], i, false) }
            if leader.fitness.isFinite, !comparable || leader.fitness < bestFitness {
                bestFitness = leader.fitness
                best = leader.refined ? refined.row(leader.row) : individuals.row(leader.row)
            }
        }
        return StepReport(loss: bestFitness, finished: report.finished, part: label)
    }

    /// Writes the refinement of each individual in `chosen` into the rows of `refined`.
    private func refine(
        _ chosen: ArraySlice<Int>, of individuals: PopulationMatrix, into refined: inout PopulationMatrix,
        _ problem: Problem, run: inout RunState
    ) throws {
        if refined.count != chosen.count || refined.dimension != individuals.dimension {
            refined = PopulationMatrix(count: chosen.count, dimension: individuals.dimension)
        }
        for (j, i) in chosen.enumerated() {
            var trial = try local.start(problem, from: individuals.row(i), run: &run)
            for _ in 0..<localSteps {
                guard try local.step(&trial, problem, run: &run).loss.isFinite else { break }
            }
            try refined.setRow(j, checked: local.incumbent(trial))
        }
    }

    public func incumbent(_ state: State) -> [Float] { state.best }
}
