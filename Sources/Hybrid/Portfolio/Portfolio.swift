import WeightLabCore
import WeightLabEvolutionary

/// A portfolio raced on equal shares of the budget: several optimizers run side by side from
/// the same start; at checkpoints the weakest is dropped and the others take over its share,
/// until one is left to spend the rest.
///
/// The idea is algorithm portfolios (Huberman, Lukose & Hogg, "An Economics Approach to Hard
/// Computational Problems", Science 275, 1997; Gomes & Selman, "Algorithm portfolios",
/// Artificial Intelligence 126, 2001) raced by elimination as in successive halving (Karnin,
/// Koren & Somekh, ICML 2013; Jamieson & Talwalkar, AISTATS 2016) — dropping one part per
/// round rather than half.
///
/// With n parts and a budget of B units, the budget is cut into n segments of B/n units; in a
/// segment the parts still racing share its units equally (each gets B/(n·alive)), and at its
/// end they are measured on one fitness batch and the weakest is dropped; the last segment
/// belongs to the one part left. Within a segment the part that has spent the fewest units
/// takes the next step, so the shares are equal to within one step. A part whose loss turns
/// non-finite leaves the race; a part that reports it has finished stops taking steps but
/// keeps its place until measured.
///
/// One step is one step of one part (label `i:name`), or a checkpoint (label `checkpoint`),
/// which costs one forward pass per racing part and fitness sample. The incumbent is that of
/// the part measured best at the last checkpoint (the first part before any).
public struct Portfolio: CombiningOptimizer {
    public let parts: [AnyWeightOptimizer]
    /// The run's cost budget in units, which the segments divide.
    public let budget: Int
    private let labels: [String]

    public var name: String { "portfolio" }

    public init(_ parts: [any WeightOptimizer], budget: Int) throws {
        guard parts.count >= 2 else { throw WeightLabError(.parameter, "a portfolio needs at least two parts, got \(parts.count)") }
        try validateCount("budget", budget, atLeast: parts.count * parts.count)
        self.parts = parts.map { AnyWeightOptimizer($0) }
        self.budget = budget
        self.labels = self.parts.enumerated().map { "\($0.offset + 1):\($0.element.name)" }
    }

    public struct State: Codable, Sendable {
        public var parts: [AnyWeightOptimizer.State]
        /// Parts still in the race.
        public var racing: [Bool]
        /// Parts that reported they have finished.
        public var finished: [Bool]
        /// The current segment, and the units each part has spent in it.
        public var segment: Int
        public var spent: [Int]
        /// Each part's fitness at the last checkpoint it was measured at (+∞ before).
        public var fitness: [Float]
        /// The part whose incumbent is handed over.
        public var leader: Int
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        let n = parts.count
        return State(
            parts: try parts.map { try $0.start(problem, from: initial, run: &run) },
            racing: Array(repeating: true, count: n), finished: Array(repeating: false, count: n),
            segment: 0, spent: Array(repeating: 0, count: n), fitness: Array(repeating: .infinity, count: n), leader: 0)
    }

    /// Units each racing part gets in the current segment.
    private func allowance(_ state: State) -> Int {
        max(1, budget / (parts.count * max(1, state.racing.count(where: { $0 }))))
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        try checkFits(state, problem)
        while true {
            let stepping = parts.indices.filter { state.racing[$0] && !state.finished[$0] }
            let racingCount = state.racing.count(where: { $0 })
            if racingCount > 1, stepping.allSatisfy({ state.spent[$0] >= allowance(state) }) {
                return try checkpoint(&state, problem, rng: &run.rng)
            }
            guard let i = stepping.min(by: { state.spent[$0] < state.spent[$1] }) else {
                return StepReport(loss: state.fitness[state.leader], finished: "portfolio: every part has finished", part: "checkpoint")
            }
            let (report, units) = try problem.unitsCharged { try parts[i].step(&state.parts[i], problem, run: &run) }
            state.spent[i] += units
            if !report.loss.isFinite, racingCount > 1 {
                state.racing[i] = false
                if state.leader == i { state.leader = parts.indices.first { state.racing[$0] } ?? i }
                continue
            }
            if report.finished != nil { state.finished[i] = true }
            var labelled = report
            labelled.part = partLabel(labels[i], report)
            if racingCount > 1 { labelled.finished = nil }
            return labelled
        }
    }

    /// Measures the racing parts' incumbents on one fitness batch, drops the weakest and
    /// starts the next segment.
    private func checkpoint(_ state: inout State, _ problem: Problem, rng: inout RandomStream) throws -> StepReport {
        let racing = parts.indices.filter { state.racing[$0] }
        let weights = try Pricing.matrix(racing.map { parts[$0].incumbent(state.parts[$0]) }, dimension: problem.dimension)
        let fitness = try Pricing.fitness(of: weights, on: problem.fitnessBatch(rng: &rng), problem)
        for (j, i) in racing.enumerated() { state.fitness[i] = fitness[j] }
        let weakest = racing.max { state.fitness[$0] < state.fitness[$1] || (state.fitness[$0] == state.fitness[$1] && $0 > $1) } ?? racing[0]
        state.racing[weakest] = false
        state.leader = racing.filter { $0 != weakest }.min { state.fitness[$0] < state.fitness[$1] } ?? state.leader
        state.segment += 1
        state.spent = Array(repeating: 0, count: parts.count)
        return StepReport(loss: state.fitness[state.leader], part: "checkpoint: dropped \(labels[weakest])")
    }

    /// A saved state must hold one entry per part in every list and a leader among them.
    public func mismatch(_ state: State, _ problem: Problem) -> String? {
        let n = parts.count
        guard parts.indices.contains(state.leader) else { return "its leader is part \(state.leader), the portfolio has \(n)" }
        return SavedShapes.firstMismatch([
            ("parts", state.parts.count, [n]), ("racing flags", state.racing.count, [n]), ("finished flags", state.finished.count, [n]),
            ("units spent", state.spent.count, [n]), ("fitness", state.fitness.count, [n]),
        ])
    }

    public func incumbent(_ state: State) -> [Float] {
        guard parts.indices.contains(state.leader), state.parts.indices.contains(state.leader) else { return [] }
        return parts[state.leader].incumbent(state.parts[state.leader])
    }
}

extension Portfolio {
    /// The race's parameters.
    enum Parameters {
        static let budget = Parameter<Int?>("budget", absent: "required", .atLeast(1), "the run's cost budget in units")
        static let infos = [
            PartParameters.part("parts", "at least two racing optimizers", list: true, example: #"[{"optimizer": "adam"}, {"optimizer": "sgd"}]"#),
            budget.info.withExample("3000"),
        ]
    }

    /// Reads `parts` (at least two specifications) and `budget` (the run's cost budget in units).
    init(parameters p: ParameterReader, registry: OptimizerRegistry) throws {
        guard let specs = try p.optimizers("parts"), specs.count >= 2 else {
            throw WeightLabError(.specification, "\(p.path).parts: portfolio needs a list of at least two parts, e.g. [{\"optimizer\": \"adam\"}, {\"optimizer\": \"ga\"}]")
        }
        guard let budget = try p.value(Parameters.budget) else {
            throw WeightLabError(.specification, "\(p.path).budget: portfolio needs the run's cost budget in units to divide it into equal shares")
        }
        try self.init(try specs.map { try registry.part($0, kind: .any, for: "portfolio") }, budget: budget)
    }
}
