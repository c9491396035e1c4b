import WeightLabCore

/// Sequential hand-off: run one optimizer until its hand-off rule fires, then start the next
/// exactly from its incumbent, and so on along a chain of any length — global search first,
/// local refinement after (GA → Adam, SA → conjugate gradient, Adam → Adam at a lower rate).
///
/// This is the "sequential" (or "relay", "high-level relay") hybrid of Talbi's taxonomy:
/// E.-G. Talbi, "A Taxonomy of Hybrid Metaheuristics", Journal of Heuristics 8 (2002), and
/// the classic evolutionary-then-gradient training of networks (Whitley, "Genetic algorithms
/// and neural networks", 1995; Yao, "Evolving artificial neural networks", Proc. IEEE 1999).
///
/// One step is one step of the current part; its trace label is the part's position and name
/// (`1:ga`, `2:adam`). After the step the part's rule is checked on what the part alone has
/// spent (ledger units, steps, steps without a lower reported loss); when it fires, or when
/// the part reports it has finished, the next part starts from `incumbent` of this one. The
/// last part runs until the run ends; if it has a rule too, the chain reports itself finished
/// when that fires. Every part prices on the same problem, so all cost goes to one ledger.
public struct SequentialHandOff: CombiningOptimizer {
    /// One link of the chain: an optimizer and when it hands off.
    public struct Stage: Sendable {
        public let optimizer: AnyWeightOptimizer
        /// nil runs the part until the run ends (only for the last stage).
        public let until: HandOffRule?

        public init(_ optimizer: any WeightOptimizer, until: HandOffRule? = nil) {
            self.optimizer = AnyWeightOptimizer(optimizer)
            self.until = until
        }
    }

    public let stages: [Stage]
    private let labels: [String]

    public var name: String { "sequential" }
    public var parts: [AnyWeightOptimizer] { stages.map(\.optimizer) }

    /// A chain of `stages`; every stage but the last needs a hand-off rule.
    public init(_ stages: [Stage]) throws {
        guard !stages.isEmpty else { throw WeightLabError(.parameter, "a sequential hand-off needs at least one part") }
        if let open = stages.dropLast().firstIndex(where: { $0.until == nil }) {
            throw WeightLabError(.parameter, "part \(open + 1) of the sequential hand-off has no hand-off rule, so the parts after it would never run")
        }
        self.stages = stages
        self.labels = stages.enumerated().map { "\($0.offset + 1):\($0.element.optimizer.name)" }
    }

    public struct State: Codable, Sendable {
        /// The running part's index.
        public var stage: Int
        /// The running part's state.
        public var part: AnyWeightOptimizer.State
        /// Ledger units, steps, lowest reported loss and steps since it fell, for the running part.
        public var stageUnits: Int
        public var stageSteps: Int
        public var lowestLoss: Float
        public var staleSteps: Int
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        try begin(0, problem, from: initial, run: &run)
    }

    private func begin(_ stage: Int, _ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        let part = try stages[stage].optimizer.start(problem, from: initial, run: &run)
        return State(stage: stage, part: part, stageUnits: 0, stageSteps: 0, lowestLoss: .infinity, staleSteps: 0)
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        guard stages.indices.contains(state.stage) else {
            throw WeightLabError(.data, "the sequential state is at part \(state.stage + 1), but the chain has \(stages.count) parts")
        }
        let stage = stages[state.stage]
        let (report, units) = try problem.unitsCharged { try stage.optimizer.step(&state.part, problem, run: &run) }
        state.stageUnits += units
        state.stageSteps += 1
        if report.loss < state.lowestLoss {
            state.lowestLoss = report.loss
            state.staleSteps = 0
        } else {
            state.staleSteps += 1
        }
        var labelled = report
        labelled.part = partLabel(labels[state.stage], report)
        guard report.loss.isFinite else { return labelled }
        let due = stage.until?.isDue(units: state.stageUnits, steps: state.stageSteps, staleSteps: state.staleSteps) ?? false
        guard due || report.finished != nil else { return labelled }
        if state.stage + 1 < stages.count {
            let handOver = stage.optimizer.incumbent(state.part)
            state = try begin(state.stage + 1, problem, from: handOver, run: &run)
            labelled.finished = nil
        } else if labelled.finished == nil {
            labelled.finished = "sequential: the last part's hand-off rule was met"
        }
        return labelled
    }

    public func incumbent(_ state: State) -> [Float] {
        guard stages.indices.contains(state.stage) else { return [] }
        return stages[state.stage].optimizer.incumbent(state.part)
    }
}

extension SequentialHandOff {
    /// The chain's parameters.
    enum Parameters {
        static let budget = Parameter<Int?>("budget", absent: "none", .atLeast(1), "the run's cost budget in units, needed by `share`")
        static let infos = [
            PartParameters.part(
                "parts", "the chain; every part but the last has an `until` rule: share, units, steps or stagnation", list: true,
                example: #"[{"optimizer": "pso", "populationSize": 6, "until": {"steps": 3}}, {"optimizer": "adam"}]"#),
            budget.info,
        ]
    }

    /// Reads `parts`, a list of specifications each of which (but the last) carries an `until`
    /// rule (`{"share": S}`, `{"units": U}`, `{"steps": N}`, `{"stagnation": N}`), and
    /// `budget`, the run's cost budget in units, which shares are taken of.
    init(parameters p: ParameterReader, registry: OptimizerRegistry) throws {
        let budget = try p.value(Parameters.budget)
        guard let specs = try p.optimizers("parts"), !specs.isEmpty else {
            throw WeightLabError(.specification, "\(p.path).parts: sequential needs a list of parts, e.g. [{\"optimizer\": \"ga\", \"until\": {\"share\": 0.1}}, {\"optimizer\": \"adam\"}]")
        }
        var stages: [Stage] = []
        for (i, original) in specs.enumerated() {
            var spec = original
            let until = try spec.takeOwnParameter("until") { reader in
                try reader.raw("until").map { try HandOffRule($0, path: "\(original.path).until", budget: budget) }
            }
            if until == nil, i < specs.count - 1 {
                throw WeightLabError(.specification, "\(original.path): every part but the last needs an \"until\" rule (share, units, steps or stagnation); without one the parts after it never run")
            }
            stages.append(Stage(try registry.part(spec, kind: .any, for: "sequential"), until: until))
        }
        try self.init(stages)
    }
}
