/// The one plugin protocol: every optimizer, gradient-based or not, moves a flat weight
/// vector to lower an `Objective`, one natural step at a time.
///
/// Configuration (the conforming value) is immutable; everything that changes during a run
/// lives in `State`, which is `Codable` so any run can be checkpointed and resumed, and in the
/// run's `RunState` (its random stream and mini-batch cursor), which every call receives. A step is
/// the method's own unit — one mini-batch update, one generation, one annealing sweep, one
/// line-search iteration. The run loop, not the optimizer, decides when to stop.
public protocol WeightOptimizer: Sendable {
    /// Everything that changes during a run.
    associatedtype State: Codable & Sendable

    /// The registry name this optimizer answers to (`"adam"`, `"ga"`, ...).
    var name: String { get }

    /// A fresh state for a run from `initial` weights.
    func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State

    /// One step; throws only for errors (bad shapes, library failures), never for a poor step.
    func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport

    /// The weights this optimizer would hand over now (the current point, or the best individual).
    func incumbent(_ state: State) -> [Float]

    /// Whether a run resumed from a checkpoint continues on the identical trajectory (true
    /// unless part of the method's memory lives outside its `State`, as GSL's minimizers do).
    var resumesExactly: Bool { get }

    /// Why a decoded `state` (from a checkpoint or C state bytes) cannot continue on `problem`,
    /// nil when it can: arrays of another length would otherwise trap in the next step. The
    /// default checks the incumbent's length; population methods check every saved array.
    func mismatch(_ state: State, _ problem: Problem) -> String?
}

extension WeightOptimizer {
    public var resumesExactly: Bool { true }

    public func mismatch(_ state: State, _ problem: Problem) -> String? {
        let count = incumbent(state).count
        return count == problem.dimension ? nil : "its incumbent holds \(count) weights, the problem has \(problem.dimension)"
    }

    /// Throws, naming this optimizer and the misfit, when `state` cannot continue on `problem`:
    /// how a step refuses a decoded state instead of trapping.
    public func checkFits(_ state: State, _ problem: Problem) throws {
        if let mismatch = mismatch(state, problem) { throw WeightLabError(.data, "\(name): the state does not fit the problem: \(mismatch)") }
    }
}

/// What one step did.
public struct StepReport: Sendable, Equatable {
    /// The training loss the step saw: the mini-batch loss before the update, the incumbent's
    /// fitness, the line-search value. Non-finite means the run diverged.
    public var loss: Float
    /// The learning rate used, for methods that have one.
    public var learningRate: Float?
    /// Set when the optimizer itself has nothing more to do (converged, no progress possible);
    /// the run loop then stops with this reason.
    public var finished: String?
    /// For combiners: which part ran this step.
    public var part: String?
    /// For population methods: the lowest and highest finite fitness of the generation this
    /// step priced (nil when none was finite), which restart rules read to tell a converged
    /// generation from one that merely set no record.
    public var generationFitness: ClosedRange<Float>?

    public init(loss: Float, learningRate: Float? = nil, finished: String? = nil, part: String? = nil, generationFitness: ClosedRange<Float>? = nil) {
        self.loss = loss
        self.learningRate = learningRate
        self.finished = finished
        self.part = part
        self.generationFitness = generationFitness
    }
}
