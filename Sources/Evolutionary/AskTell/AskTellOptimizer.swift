import WeightLabCore

/// Makes any `AskTellStrategy` a `WeightOptimizer`: one step is one generation.
///
/// A step asks for a population, prices all of it at once with
/// `problem.objective.losses(of:on:into:)` on `problem.fitnessBatch(rng:)` (the batched,
/// parallel population evaluation), replaces non-finite losses by +∞, updates the incumbent
/// and tells the strategy. Cost per step: `populationSize × batch` ledger units (one forward
/// pass per individual and sample).
///
/// The incumbent is the best individual seen so far when every generation is priced on the
/// same samples (a fixed subset, the whole set, an analytic function). When the problem
/// resamples its fitness subset each generation, fitness values of different generations are
/// not comparable, so the incumbent comes from the latest generation instead: the
/// distribution's center when the strategy prices it (`centerRow`), else the generation's best.
/// One batch of a few thousand samples cannot tell a lucky sample from a better one, while the
/// center is what the method estimates; on Fashion-MNIST (see docs/evolutionary.md) taking the
/// center raised OpenAI-ES's test accuracy under resampling.
/// Before the first step the incumbent is the starting point.
///
/// With a search box (`problem.box`) the starting point is projected into it, every asked
/// population is repaired the strategy's way (`strategy.boxHandling`: reflection, resampling,
/// or none when the objective clips with a penalty), and the incumbent is the leader's
/// projection, so it never lies outside the box.
public struct AskTellOptimizer<Strategy: AskTellStrategy>: WeightOptimizer {
    /// The population method.
    public let strategy: Strategy

    public var name: String { strategy.name }

    /// An optimizer running `strategy` one generation per step.
    public init(_ strategy: Strategy) {
        self.strategy = strategy
    }

    /// The strategy's state plus the incumbent. The population matrix and its fitness are
    /// working memory of one step and are not part of a checkpoint.
    public struct State: Codable, Sendable {
        /// What the strategy carries between generations.
        public var strategy: Strategy.State
        /// The incumbent's weights.
        public var best: [Float]
        /// The incumbent's fitness; +∞ before the first generation.
        public var bestFitness: Float
        /// Generations completed.
        public var generation: Int
        /// The population of the step in flight.
        public var population: PopulationMatrix
        /// Its fitness.
        public var fitness: [Float]
        /// Whether the state is known to fit its problem: true when started, false when decoded
        /// until the first step has checked it (`mismatch`).
        var fitsProblem: Bool

        /// What a checkpoint keeps; `encode(to:)` is synthesized from it.
        enum CodingKeys: String, CodingKey {
            case strategy, best, bestFitness, generation
        }

        init(strategy: Strategy.State, best: [Float]) {
            self.strategy = strategy
            self.best = best
            self.bestFitness = .infinity
            self.generation = 0
            self.population = PopulationMatrix(count: 0, dimension: 0)
            self.fitness = []
            self.fitsProblem = true
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            strategy = try c.decode(Strategy.State.self, forKey: .strategy)
            best = try c.decode([Float].self, forKey: .best)
            bestFitness = try c.decode(Float.self, forKey: .bestFitness)
            generation = try c.decode(Int.self, forKey: .generation)
            population = PopulationMatrix(count: 0, dimension: 0)
            fitness = []
            fitsProblem = false
        }
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        guard initial.count == problem.dimension else {
            throw WeightLabError.shape("\(name): starting weights", expected: problem.dimension, actual: initial.count)
        }
        let d = problem.dimension
        let rows = strategy.populationSize(dimension: d)
        try MemoryEstimate.check(
            "\(name) on \(d) weights",
            needs: [("population \(rows) × \(d) × 4 bytes", MemoryEstimate.bytes(rows, d, 4))] + strategy.stateParts(dimension: d))
        let initial = problem.confine(initial)
        return State(strategy: try strategy.initialState(problem, from: initial, rng: &run.rng), best: initial)
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        try step(&state, problem, run: &run) { _, _, _, _ in }
    }

    public func mismatch(_ state: State, _ problem: Problem) -> String? {
        let d = problem.dimension
        return state.best.count == d ? strategy.mismatch(state.strategy, dimension: d) : "its incumbent holds \(state.best.count) weights, the problem has \(d)"
    }

    /// One generation with `amend` called after the population has been priced and before
    /// the incumbent is updated and the strategy told: `PopulationMethod`'s hook.
    public func step(
        _ state: inout State, _ problem: Problem, run: inout RunState,
        amend: (_ population: inout PopulationMatrix, _ fitness: inout [Float], _ batch: Samples, _ run: inout RunState) throws -> Void
    ) throws -> StepReport {
        if !state.fitsProblem {
            try checkFits(state, problem)
            state.fitsProblem = true
        }
        let d = problem.dimension
        let rows = strategy.populationSize(dimension: d)
        if state.population.count != rows || state.population.dimension != d {
            state.population = PopulationMatrix(count: rows, dimension: d)
        }
        strategy.ask(&state.strategy, into: &state.population, rng: &run.rng)
        if let box = problem.box { strategy.boxHandling.repair(&state.population, rows: rows, box: box, rng: &run.rng) }
        let batch = problem.fitnessBatch(rng: &run.rng)
        try problem.objective.losses(of: state.population, on: batch, into: &state.fitness)
        Fitness.sanitize(&state.fitness)
        try amend(&state.population, &state.fitness, batch, &run)
        Fitness.sanitize(&state.fitness)
        let comparable: Bool
        if case .resampled = problem.fitnessSamples { comparable = false } else { comparable = true }
        let leader = comparable ? Fitness.argmin(state.fitness) : strategy.centerRow(dimension: d) ?? Fitness.argmin(state.fitness)
        if !comparable || state.fitness[leader] < state.bestFitness {
            state.bestFitness = state.fitness[leader]
            state.population.copyRow(leader, into: &state.best)
            state.best = problem.confine(state.best)
        }
        strategy.tell(&state.strategy, population: &state.population, fitness: state.fitness)
        state.generation += 1
        return StepReport(loss: state.bestFitness, finished: strategy.finished(state.strategy), generationFitness: Fitness.finiteRange(state.fitness))
    }

    public func incumbent(_ state: State) -> [Float] { state.best }
}
