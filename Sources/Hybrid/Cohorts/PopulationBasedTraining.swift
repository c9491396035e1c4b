import Foundation
import WeightLabCore
import WeightLabEvolutionary

/// Population-based training: a population of trainers, each with its own hyperparameters,
/// trained side by side; every `interval` steps the weakest copy the weights, optimizer state
/// and hyperparameters of the strongest (exploit) and perturb the hyperparameters (explore),
/// so the population follows a schedule of hyperparameters found while training.
///
/// Source: Jaderberg et al., "Population Based Training of Neural Networks", arXiv:1711.09846
/// (2017), with its truncation selection and perturbation: members ranked by fitness, the
/// bottom `truncation` share each copy a member drawn uniformly from the top share, then
/// multiply every hyperparameter by a factor drawn from `perturbFactors` (0.8 or 1.2). The
/// defaults are Ray Tune's `PopulationBasedTraining` (quantile 0.25, factors 0.8 and 1.2).
///
/// One step is one trainer step of one member (label `member i`), members in turn; after
/// every member has taken `interval` steps, one step measures all members on one fitness
/// batch and exploits and explores (label `exploit/explore`). Unlike the paper, members are
/// synchronous, fitness is the training loss on the problem's fitness batch (`Problem.
/// fitnessBatch`: set a fixed subset to keep it cheap) rather than a validation score, and
/// explore only perturbs (no resampling from a prior). A member whose step diverges waits
/// for the next population step and is then replaced like the weakest.
///
/// The incumbent is the current weights of the member measured best at the last population
/// step (the first member before any). Cost: each member step costs what its trainer's step
/// costs; a population step costs one forward pass per member and fitness sample.
public struct PopulationBasedTraining: CombiningOptimizer {
    public let trainer: TunableTrainer
    public let populationSize: Int
    /// Steps each member takes between population steps.
    public let interval: Int
    /// The share of the population that exploits, and the share it copies from.
    public let truncation: Float
    /// The factors explore multiplies each hyperparameter by, one drawn uniformly per value.
    public let perturbFactors: [Float]
    /// Members after the first start with each hyperparameter at its starting value times
    /// s^u, u uniform in [−1, 1] (log-uniform in [v/s, v·s]); 1 starts them all alike.
    public let initialSpread: Float
    /// Whether every member starts from the run's starting weights (else only the first, the
    /// others from draws of the network's initializer).
    public let sharedStart: Bool
    private let labels: [String]
    /// The trainer at the starting values, which reads any member's incumbent.
    private let baseTrainer: AnyWeightOptimizer

    public var name: String { "pbt" }
    public var parts: [AnyWeightOptimizer] { [baseTrainer] }

    public init(
        trainer: TunableTrainer, populationSize: Int = 4, interval: Int = 100, truncation: Float = 0.25,
        perturbFactors: [Float] = [0.8, 1.2], initialSpread: Float = 2, sharedStart: Bool = false
    ) throws {
        self.populationSize = try Parameters.populationSize.checked(populationSize)
        self.interval = try Parameters.interval.checked(interval)
        self.truncation = try Parameters.truncation.checked(truncation)
        guard !perturbFactors.isEmpty, perturbFactors.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw WeightLabError.parameter("perturbFactors", perturbFactors, allowed: "a non-empty list of finite factors > 0")
        }
        self.initialSpread = try Parameters.initialSpread.checked(initialSpread)
        self.trainer = trainer
        self.perturbFactors = perturbFactors
        self.sharedStart = sharedStart
        self.labels = Cohort.labels(populationSize)
        self.baseTrainer = try trainer.make(trainer.values)
    }

    public struct State: Codable, Sendable {
        public var members: [Member]
        /// Member steps since the last population step.
        public var turn: Int
        public var populationSteps: Int
        /// Each member's trainer, built from its hyperparameters; rebuilt after decoding.
        var trainers: [AnyWeightOptimizer] = []

        enum CodingKeys: String, CodingKey { case members, turn, populationSteps }
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        let points = Cohort.startingPoints(populationSize, shared: sharedStart, problem, from: initial, rng: &run.rng)
        let logSpread = logf(initialSpread)
        var state = State(members: [], turn: 0, populationSteps: 0)
        for i in 0..<populationSize {
            let values = i == 0 ? trainer.values : trainer.values.map { $0 * expf(logSpread * run.rng.uniform(-1, 1)) }
            let optimizer = try trainer.make(values)
            state.trainers.append(optimizer)
            state.members.append(Member(state: try optimizer.start(problem, from: points[i], run: &run), hyperparameters: values))
        }
        return state
    }

    /// A saved state holds one member per slot and a turn within the period.
    public func mismatch(_ state: State, _ problem: Problem) -> String? {
        Cohort.mismatch(members: state.members.count, turn: state.turn, populationSize: populationSize, interval: interval)
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        try checkFits(state, problem)
        try prepareTrainers(&state)
        let trainers = state.trainers
        if let report = try Cohort.stepMember(
            &state.members, turn: &state.turn, interval: interval, labels: labels, trainer: { trainers[$0] }, problem, run: &run) {
            return report
        }
        let measured = try Cohort.measure(state.members, trainer: { trainers[$0] }, problem, rng: &run.rng)
        for i in state.members.indices { state.members[i].fitness = measured.fitness[i] }
        let copies = exploit(&state, rng: &run.rng)
        explore(&state, members: copies.map(\.member), rng: &run.rng)
        state.turn = 0
        state.populationSteps += 1
        return StepReport(loss: state.members[Cohort.leader(state.members)].fitness, part: "exploit/explore")
    }

    /// Truncation selection: ranks the members by fitness; each of the bottom
    /// ⌈truncation·n⌉ (and every diverged member) copies the state, fitness and
    /// hyperparameters of a member drawn uniformly from the top ⌈truncation·n⌉.
    /// Returns who copied whom.
    func exploit(_ state: inout State, rng: inout RandomStream) -> [(member: Int, source: Int)] {
        let n = state.members.count
        var order: [Int] = []
        Fitness.sortIndices(state.members.map(\.fitness), into: &order)
        let k = min(n / 2, max(1, Int((truncation * Float(n)).rounded(.up))))
        guard k >= 1 else { return [] }
        let top = Array(order.prefix(k))
        var losers = Array(order.suffix(k))
        losers += order.dropFirst(k).dropLast(k).filter { state.members[$0].diverged }
        var copies: [(member: Int, source: Int)] = []
        for loser in losers {
            let source = top[rng.index(below: k)]
            state.members[loser] = state.members[source]
            state.trainers[loser] = state.trainers[source]
            copies.append((loser, source))
        }
        return copies
    }

    /// Multiplies every hyperparameter of each of `members` by a factor drawn uniformly from
    /// `perturbFactors` and rebuilds its trainer; values the trainer rejects (out of its
    /// range) are not taken, the member keeps the ones it copied.
    func explore(_ state: inout State, members: [Int], rng: inout RandomStream) {
        for i in members {
            let perturbed = state.members[i].hyperparameters.map { $0 * perturbFactors[rng.index(below: perturbFactors.count)] }
            guard let optimizer = try? trainer.make(perturbed) else { continue }
            state.members[i].hyperparameters = perturbed
            state.trainers[i] = optimizer
        }
    }

    /// Builds the members' trainers when the state has none (a state decoded from a checkpoint).
    private func prepareTrainers(_ state: inout State) throws {
        guard state.trainers.count != state.members.count else { return }
        state.trainers = try state.members.map { try trainer.make($0.hyperparameters) }
    }

    public func incumbent(_ state: State) -> [Float] {
        guard !state.members.isEmpty else { return [] }
        return baseTrainer.incumbent(state.members[Cohort.leader(state.members)].state)
    }
}

extension PopulationBasedTraining {
    /// PBT's parameters.
    enum Parameters {
        static let populationSize = Parameter("populationSize", default: 4, .within(2...10_000), "the members")
        static let interval = Parameter("interval", default: 100, .atLeast(1), "steps each member takes between exploit/explore steps")
        static let truncation = Parameter("truncation", default: Float(0.25), Allowed("a share in (0, 0.5]") { $0 > 0 && $0 <= 0.5 }, "⌈share·n⌉ members copy, from the top ⌈share·n⌉")
        static let initialSpread = Parameter("initialSpread", default: Float(2), .within(1...1e6), "members after the first start at value·s^u, u uniform in [−1, 1] (log-uniform in [v/s, v·s]); 1 starts them all alike")
        static let infos = [
            PartParameters.part("trainer", "the single-point optimizer whose hyperparameters are tuned", example: #"{"optimizer": "adam"}"#),
            ParameterInfo(name: "hyperparameters", defaultText: "[learningRate]", allowed: "a non-empty list of the trainer's parameter names", doc: "the tuned hyperparameters"),
            populationSize.info, interval.info, truncation.info,
            ParameterInfo(name: "perturbFactors", defaultText: "[0.8, 1.2]", allowed: "a non-empty list of numbers > 0", doc: "explore multiplies each hyperparameter by one of these"),
            initialSpread.info, PartParameters.start.info,
        ]
    }

    /// Reads `trainer` (a single-point optimizer's specification), `hyperparameters` (default
    /// ["learningRate"]), `populationSize` 4, `interval` 100, `truncation` 0.25,
    /// `perturbFactors` [0.8, 1.2], `initialSpread` 2 and `start` (`sampled` or `shared`).
    init(parameters p: ParameterReader, registry: OptimizerRegistry) throws {
        let spec = try p.requiredPart("trainer", example: #"{"optimizer": "adam", "learningRate": 0.001}"#)
        let names = try p.names("hyperparameters", default: ["learningRate"])
        try self.init(
            trainer: try TunableTrainer(spec, tuning: names, registry: registry, for: "pbt"),
            populationSize: try p.value(Parameters.populationSize),
            interval: try p.value(Parameters.interval),
            truncation: try p.value(Parameters.truncation),
            perturbFactors: try p.positiveNumbers("perturbFactors", default: [0.8, 1.2]),
            initialSpread: try p.value(Parameters.initialSpread),
            sharedStart: try p.sharedStart())
    }
}
