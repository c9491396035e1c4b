import WeightLabCore
import WeightLabEvolutionary

/// Evolutionary stochastic gradient descent: a population of networks alternates between a
/// gradient phase, in which each member is trained by its own optimizer (the optimizers and
/// their hyperparameters may differ from member to member), and an evolution phase, in which
/// offspring made by selection, crossover and mutation of the members' weights compete with
/// them and the fittest survive.
///
/// Source: Cui, Zhang, Tüske & Picheny, "Evolutionary Stochastic Gradient Descent for
/// Optimization of Deep Neural Networks", NeurIPS 2018. As there: a back-off in the gradient
/// phase (a member whose fitness got worse returns to its weights and optimizer state at the
/// last evolution step) and m-elitist survival (the `elites` best of parents and offspring
/// survive, the other places go to a uniform draw from the rest), which together keep the best
/// fitness from ever degrading under a fixed fitness batch. The parents of the offspring are
/// chosen by a genetic algorithm's `Selection`, recombined by its `Crossover` and mutated by
/// `GaussianMutation` (fixed σ); an offspring inherits its first parent's optimizer and
/// starts it afresh (the paper's recombination is intermediate; `blx` with `blendAlpha` 0 is
/// the closest operator here).
///
/// One step is one optimizer step of one member (label `member i`), members in turn; after
/// every member has taken `interval` steps, one step is the evolution phase (label
/// `evolution`). Its cost: one forward pass per member and per offspring on one fitness batch
/// (`Problem.fitnessBatch`). The incumbent is the current weights of the member measured best
/// at the last evolution step.
public struct EvolutionarySGD: CombiningOptimizer {
    /// The members' optimizers: member i starts with trainer i mod count.
    public let trainers: [AnyWeightOptimizer]
    public let populationSize: Int
    /// Steps each member takes between evolution steps.
    public let interval: Int
    /// Offspring made at each evolution step (λ).
    public let offspring: Int
    /// How many of the best of parents and offspring survive for sure (m); the remaining
    /// places are drawn uniformly from the rest. `populationSize` keeps the best μ of μ + λ.
    public let elites: Int
    public let selection: Selection
    public let crossover: Crossover
    public let crossoverRate: Float
    public let mutation: GaussianMutation
    /// Whether a member whose fitness rose during the gradient phase returns to its state at
    /// the last evolution step.
    public let backOff: Bool
    /// Whether every member starts from the run's starting weights (else only the first).
    public let sharedStart: Bool
    private let labels: [String]

    public var name: String { "esgd" }
    public var parts: [AnyWeightOptimizer] { trainers }

    public init(
        trainers: [any WeightOptimizer], populationSize: Int = 4, interval: Int = 100, offspring: Int? = nil,
        elites: Int? = nil, selection: Selection = .tournament(size: 2), crossover: Crossover = .uniform,
        crossoverRate: Float = 0.5, mutation: GaussianMutation? = nil, backOff: Bool = true, sharedStart: Bool = false
    ) throws {
        guard !trainers.isEmpty else { throw WeightLabError(.parameter, "esgd needs at least one trainer") }
        self.populationSize = try Parameters.populationSize.checked(populationSize)
        self.interval = try Parameters.interval.checked(interval)
        self.offspring = try Parameters.offspring.checked(offspring ?? max(1, populationSize / 2))
        let elites = elites ?? populationSize
        guard (1...populationSize).contains(elites) else {
            throw WeightLabError.parameter("elites", elites, allowed: "an integer in 1...populationSize (\(populationSize))")
        }
        try selection.validate()
        try crossover.validate()
        self.crossoverRate = try Parameters.crossoverRate.checked(crossoverRate)
        self.trainers = trainers.map { AnyWeightOptimizer($0) }
        self.elites = elites
        self.selection = selection
        self.crossover = crossover
        self.mutation = try mutation ?? GaussianMutation(rate: 0.1, sigma: 0.01)
        self.backOff = backOff
        self.sharedStart = sharedStart
        self.labels = Cohort.labels(populationSize)
    }

    public struct State: Codable, Sendable {
        public var members: [Member]
        /// Each member's state and fitness at the last evolution step, for the back-off.
        public var saved: [AnyWeightOptimizer.State]
        public var savedFitness: [Float]
        /// Member steps since the last evolution step.
        public var turn: Int
        public var generations: Int
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        let points = Cohort.startingPoints(populationSize, shared: sharedStart, problem, from: initial, rng: &run.rng)
        var members: [Member] = []
        for i in 0..<populationSize {
            let t = i % trainers.count
            members.append(Member(state: try trainers[t].start(problem, from: points[i], run: &run), trainer: t))
        }
        return State(members: members, saved: members.map(\.state), savedFitness: members.map(\.fitness), turn: 0, generations: 0)
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        try checkFits(state, problem)
        let members = state.members
        let trainerOf = { (i: Int) in trainers[members[i].trainer] }
        if let report = try Cohort.stepMember(
            &state.members, turn: &state.turn, interval: interval, labels: labels, trainer: trainerOf, problem, run: &run) {
            return report
        }
        try evolve(&state, problem, run: &run)
        state.turn = 0
        state.generations += 1
        return StepReport(loss: state.members[Cohort.leader(state.members)].fitness, part: "evolution")
    }

    /// A saved state holds one member per slot, each naming a configured trainer, and one
    /// saved state and fitness per member for the back-off.
    public func mismatch(_ state: State, _ problem: Problem) -> String? {
        if let mismatch = Cohort.mismatch(members: state.members.count, turn: state.turn, populationSize: populationSize, interval: interval) { return mismatch }
        guard state.members.allSatisfy({ trainers.indices.contains($0.trainer) }) else { return "it names a trainer beyond the \(trainers.count) configured" }
        return SavedShapes.firstMismatch([("saved states", state.saved.count, [populationSize]), ("saved fitness", state.savedFitness.count, [populationSize])])
    }

    /// The evolution phase: measure, back off, breed λ offspring, keep μ by m-elitist survival.
    private func evolve(_ state: inout State, _ problem: Problem, run: inout RunState) throws {
        let trainerOf = { [members = state.members] (i: Int) in trainers[members[i].trainer] }
        var (weights, fitness, batch) = try Cohort.measure(state.members, trainer: trainerOf, problem, rng: &run.rng)
        for i in state.members.indices where backOff && (fitness[i] > state.savedFitness[i] || state.members[i].diverged) {
            state.members[i].state = state.saved[i]
            state.members[i].diverged = false
            fitness[i] = state.savedFitness[i]
            try weights.setRow(i, checked: trainerOf(i).incumbent(state.saved[i]))
        }
        let (children, parents) = breed(from: weights, fitness: fitness, rng: &run.rng)
        let childFitness = try Pricing.fitness(of: children, on: batch, problem)
        let survivors = survive(fitness + childFitness, rng: &run.rng)
        let vacated = state.members.indices.filter { !survivors.contains($0) }
        for (slot, c) in zip(vacated, survivors.filter { $0 >= populationSize }.map { $0 - populationSize }) {
            let t = state.members[parents[c]].trainer
            var child = Member(state: try trainers[t].start(problem, from: children.row(c), run: &run), trainer: t)
            child.fitness = childFitness[c]
            state.members[slot] = child
            fitness[slot] = childFitness[c]
        }
        for i in state.members.indices { state.members[i].fitness = fitness[i] }
        state.saved = state.members.map(\.state)
        state.savedFitness = fitness
    }

    /// λ offspring of parents chosen by `selection`: each the crossover of two parents (with
    /// probability `crossoverRate`, else a copy of the first), then mutated. Returns them and
    /// each one's first parent.
    private func breed(from weights: PopulationMatrix, fitness: [Float], rng: inout RandomStream) -> (PopulationMatrix, [Int]) {
        let d = weights.dimension
        var order: [Int] = []
        var scratch: [Double] = []
        var chosen: [Int] = []
        Fitness.sortIndices(fitness, into: &order)
        selection.choose(2 * offspring, fitness: fitness, order: order, weights: &scratch, into: &chosen, rng: &rng)
        var children = PopulationMatrix(count: offspring, dimension: d)
        weights.values.withUnsafeBufferPointer { parents in
            children.values.withUnsafeMutableBufferPointer { out in
                guard let from = parents.baseAddress, let to = out.baseAddress, d > 0 else { return }
                for c in 0..<offspring {
                    let a = from + chosen[2 * c] * d
                    let child = to + c * d
                    if rng.uniform() < crossoverRate {
                        crossover.cross(a, from + chosen[2 * c + 1] * d, count: d, into: child, nil, rng: &rng)
                    } else {
                        child.update(from: a, count: d)
                    }
                    mutation.mutate(child, count: d, sigma: mutation.sigma, rng: &rng)
                }
            }
        }
        return (children, (0..<offspring).map { chosen[2 * $0] })
    }

    /// m-elitist survival from a pool of μ parents then λ offspring: the `elites` lowest
    /// fitness values, and μ − `elites` drawn uniformly from the rest. Returns pool indices,
    /// ascending.
    private func survive(_ pool: [Float], rng: inout RandomStream) -> [Int] {
        var order: [Int] = []
        Fitness.sortIndices(pool, into: &order)
        var rest = Array(order.dropFirst(elites))
        rng.shuffle(&rest)
        return (order.prefix(elites) + rest.prefix(populationSize - elites)).sorted()
    }

    public func incumbent(_ state: State) -> [Float] {
        guard !state.members.isEmpty else { return [] }
        let leader = state.members[Cohort.leader(state.members)]
        guard trainers.indices.contains(leader.trainer) else { return [] }
        return trainers[leader.trainer].incumbent(leader.state)
    }
}

extension EvolutionarySGD {
    /// ESGD's parameters, with the genetic operators' under ESGD's defaults.
    enum Parameters {
        static let populationSize = Parameter<Int?>("populationSize", absent: "4, or the number of trainers if more", .within(2...10_000), "μ")
        static let interval = Parameter("interval", default: 100, .atLeast(1), "gradient steps each member takes between evolution steps")
        static let offspring = Parameter<Int?>("offspring", absent: "⌊μ/2⌋", .within(1...10_000), "λ")
        static let elites = Parameter<Int?>("elites", absent: "μ", .atLeast(1), "m; μ keeps the best μ of μ + λ (the weakest are replaced)")
        static let crossoverRate = Parameter("crossoverRate", default: Float(0.5), .unit, "the probability that a pair is recombined")
        static let backOff = Parameter("backOff", default: true, .either, "a member that got worse during training returns to its saved state")
        static let infos = [
            PartParameters.part("trainer", "the single-point optimizer every member runs (or `trainers`, a list)", example: #"{"optimizer": "adam"}"#),
            populationSize.info, interval.info, offspring.info, elites.info,
        ] + OperatorParameters.infos(tournamentSize: 2, crossover: "uniform", sigma: 0.01) + [crossoverRate.info, backOff.info, PartParameters.start.info]
    }

    /// Reads `trainer` (one single-point optimizer for every member) or `trainers` (a list,
    /// member i taking entry i mod count), `populationSize` (default 4, or the number of
    /// trainers if larger), `interval` 100, `offspring` ⌊μ/2⌋, `elites` μ, the GA's `selection`
    /// (default tournament of 2), `crossover` (default `uniform`), `crossoverRate` 0.5,
    /// `mutationRate` 0.1, `sigma` 0.01, `backOff` true and `start` (`sampled` or `shared`).
    init(parameters p: ParameterReader, registry: OptimizerRegistry) throws {
        let specs: [OptimizerSpec]
        if let list = try p.optimizers("trainers") {
            guard !list.isEmpty, p.raw("trainer") == nil else {
                throw WeightLabError(.specification, "\(p.path): give esgd either \"trainer\" or a non-empty \"trainers\" list, not both")
            }
            specs = list
        } else {
            specs = [try p.requiredPart("trainer", example: #"{"optimizer": "adam"}"#)]
        }
        let trainers = try specs.map { try registry.part($0, kind: .singlePoint, for: "esgd") }
        let size = try p.value(Parameters.populationSize) ?? max(4, trainers.count)
        let elites = try p.value(Parameters.elites) ?? size
        guard elites <= size else {
            throw WeightLabError(.parameter, "\(p.path).elites = \(elites) is invalid for esgd: expected an integer in [1, \(size)] (at most populationSize)")
        }
        try self.init(
            trainers: trainers, populationSize: size,
            interval: try p.value(Parameters.interval),
            offspring: try p.value(Parameters.offspring) ?? max(1, size / 2),
            elites: elites,
            selection: try Selection(parameters: p, tournamentSize: 2),
            crossover: try Crossover(parameters: p, default: "uniform"),
            crossoverRate: try p.value(Parameters.crossoverRate),
            mutation: try GaussianMutation(parameters: p, rate: 0.1, sigma: 0.01),
            backOff: try p.value(Parameters.backOff),
            sharedStart: try p.sharedStart())
    }
}
