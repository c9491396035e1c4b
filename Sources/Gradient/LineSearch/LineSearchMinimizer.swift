@preconcurrency import CGSL
import WeightLabCore

/// GSL's gradient-based multimin algorithms (conjugate gradient Fletcher–Reeves and
/// Polak–Ribière, vector BFGS2, steepest descent) as a `WeightOptimizer`: one step is one GSL
/// iteration, a line search along the method's direction (see `LineSearchMethod`).
///
/// - The objective is evaluated on `problem.fullBatch` (the whole training set, or the fixed
///   subset the problem was given a `fullBatchLimit` for) with the same random stream at every
///   evaluation, so it is one deterministic function, as a line search needs.
/// - GSL works in double precision. The state keeps GSL's double iterate as the true point;
///   only evaluations round it to the objective's Float32 weights. Values and gradients come
///   back as Float32, so the reachable accuracy is that of a Float32 function: about 1e-7
///   relative in f, and in x about √(1e-7·|f|/curvature) near a minimum.
/// - GSL's own `gsl_multimin_fdfminimizer_restart` only resets an iteration counter for these
///   methods (GSL 2.7); the direction survives. A restart here therefore re-`set`s GSL at the
///   current point (one more evaluation of f and ∇f) with the last step length as trial step:
///   the direction becomes steepest descent. GSL's conjugate gradient restarts by itself only
///   every n line minimizations, which never happens with n = 200,000 weights, so it restarts
///   every `restartEvery` iterations (default 100 for conjugate gradient, never otherwise)
///   and whenever GSL reports no progress (`GSL_ENOPROG`). No progress right after a restart
///   ends the run: the report's `finished` gives GSL's reason.
/// - The GSL minimizer is not Codable. A decoded state (a resumed checkpoint) rebuilds it from
///   its point at the next step, so a resumed line-search method restarts its search direction;
///   so does a state whose minimizer is shared with a copy of it.
/// - Cost per step in ledger units (n training samples): each line-search trial prices f
///   (1 unit per sample; 3 when the network has dropout or batch norm, whose value must come
///   from the training pass) or f and ∇f (3 per sample); typically 2–6 evaluations per
///   iteration, one f-and-∇f at the start and after every restart.
public struct LineSearchMinimizer: WeightOptimizer {
    /// Everything that changes during a run; the GSL minimizer itself is kept beside it.
    public struct State: Codable, Sendable {
        /// The current point in double precision (GSL's iterate).
        public var point: [Double]
        /// GSL iterations so far.
        public var iteration: Int
        /// Iterations since the last (re)start of the search direction.
        public var sinceRestart: Int
        /// Restarts so far, periodic and on stall.
        public var restarts: Int
        /// The first trial step of the next (re)start: the last step's length.
        public var trialStep: Double
        /// f at the point, when finite.
        public var value: Double?
        /// Why the method stopped, once it has.
        public var finished: String?
        /// The stream every evaluation starts from.
        public var stream: RandomStream

        /// The live GSL minimizer; used only while this state holds the one reference to it.
        var session: MultiminSession?

        private enum CodingKeys: String, CodingKey {
            case point, iteration, sinceRestart, restarts, trialStep, value, finished, stream
        }
    }

    public let method: LineSearchMethod
    /// The first trial step length (GSL's `step_size`).
    public let stepSize: Double
    /// The line-search accuracy (GSL's `tol`).
    public let lineSearchTolerance: Double
    /// Restart the search direction every this many iterations; 0 never.
    public let restartEvery: Int
    /// Finish when |∇f| falls below this; 0 never.
    public let gradientTolerance: Double

    public var name: String { method.rawValue }
    /// False: GSL's minimizer is not in the state, so a resumed run restarts its direction.
    public var resumesExactly: Bool { false }

    /// - Parameters:
    ///   - method: the GSL algorithm.
    ///   - stepSize: first trial step, > 0 (default 0.01, as in GSL's examples).
    ///   - lineSearchTolerance: line-search accuracy in (0, 1) (default `method.defaultTolerance`:
    ///     0.01, or 0.1 for steepest descent).
    ///   - restartEvery: iterations between direction restarts, ≥ 0 (default 100 for conjugate
    ///     gradient, 0 otherwise).
    ///   - gradientTolerance: finish when |∇f| < this, ≥ 0 (default 0: off).
    public init(_ method: LineSearchMethod, stepSize: Double = 0.01, lineSearchTolerance: Double? = nil, restartEvery: Int? = nil, gradientTolerance: Double = 0) throws {
        self.stepSize = try Parameters.stepSize.checked(stepSize)
        self.lineSearchTolerance = try Parameters.lineSearchTolerance.checked(lineSearchTolerance ?? method.defaultTolerance)
        self.gradientTolerance = try Parameters.gradientTolerance.checked(gradientTolerance)
        self.restartEvery = try Parameters.restartEvery(method).checked(restartEvery ?? Parameters.restartEvery(method).defaultValue)
        self.method = method
    }

    /// The line searches' parameters (GSL's example values); the tolerance and the restart
    /// interval depend on the method.
    public enum Parameters {
        public static let stepSize = Parameter("stepSize", default: 0.01, .positive, "the first trial step")
        public static let gradientTolerance = Parameter("gradientTolerance", default: 0.0, .nonNegative, "finish when |∇f| falls below this; 0: never")
        static let lineSearchTolerance = Parameter("lineSearchTolerance", default: 0.01, Allowed<Double>.fraction, "the line-search accuracy (GSL's tol)")
        static func lineSearchTolerance(_ method: LineSearchMethod) -> Parameter<Double> { lineSearchTolerance.withDefault(method.defaultTolerance) }
        static func restartEvery(_ method: LineSearchMethod) -> Parameter<Int> {
            Parameter("restartEvery", default: method.keepsDirection ? 100 : 0, .atLeast(0), "iterations between restarts of the search direction; 0: never")
        }
        /// Every parameter of `method`.
        public static func infos(_ method: LineSearchMethod) -> [ParameterInfo] {
            [stepSize.info, lineSearchTolerance(method).info, restartEvery(method).info, gradientTolerance.info]
        }
    }

    /// Reads `Parameters.infos(method)`.
    public init(_ method: LineSearchMethod, parameters p: ParameterReader) throws {
        try self.init(
            method,
            stepSize: try p.value(Parameters.stepSize),
            lineSearchTolerance: try p.value(Parameters.lineSearchTolerance(method)),
            restartEvery: try p.value(Parameters.restartEvery(method)),
            gradientTolerance: try p.value(Parameters.gradientTolerance))
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        guard initial.count == problem.dimension else {
            throw WeightLabError.shape("initial weight vector length", expected: problem.dimension, actual: initial.count)
        }
        guard problem.objective.providesGradient else {
            throw WeightLabError(.unsupported, "\(name) needs gradients, but the objective does not provide them")
        }
        var state = State(
            point: initial.map(Double.init), iteration: 0, sinceRestart: 0, restarts: 0,
            trialStep: stepSize, value: nil, finished: nil, stream: run.rng.fork())
        _ = try session(&state, problem)
        return state
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        if let reason = state.finished {
            return StepReport(loss: Float(state.value ?? .nan), finished: reason)
        }
        let session = try self.session(&state, problem)
        if restartEvery > 0 && state.sinceRestart >= restartEvery {
            try restart(session, &state)
        }
        let status = try session.iterate()
        state.iteration += 1
        let value = session.value
        guard value.isFinite else {
            state.finished = "the objective is not finite at the line search's point"
            return StepReport(loss: .nan, finished: state.finished)
        }
        switch Int(status) {
        case GSL_SUCCESS:
            session.copyPoint(into: &state.point)
            state.value = value
            state.sinceRestart += 1
            let length = session.stepLength
            if length > 0 { state.trialStep = length }
            if gradientTolerance > 0 && session.gradientNorm < gradientTolerance {
                state.finished = "converged: |∇f| = \(session.gradientNorm) < gradientTolerance \(gradientTolerance)"
            }
        case GSL_ENOPROG where state.sinceRestart > 0:
            state.trialStep = stepSize
            try restart(session, &state)
        default:
            state.finished = "\(name) stopped: \(MultiminSession.describe(status))"
                + (state.sinceRestart == 0 ? " right after a restart of the search direction" : "")
        }
        return StepReport(loss: Float(state.value ?? value), finished: state.finished)
    }

    public func incumbent(_ state: State) -> [Float] {
        state.point.map(Float.init)
    }

    /// The live session for `state`, rebuilt at the state's point when the state was decoded,
    /// moved to another problem, or copied: a minimizer shared by two states belongs to
    /// neither (the other may have moved it, or may be stepping it on another thread), so a
    /// state whose minimizer is not uniquely its own builds a new one.
    private func session(_ state: inout State, _ problem: Problem) throws -> MultiminSession {
        if isKnownUniquelyReferenced(&state.session), let session = state.session, session.problem === problem {
            return session
        }
        let session = try MultiminSession(
            method: method, problem: problem, point: state.point, stepSize: state.trialStep,
            tolerance: lineSearchTolerance, stream: state.stream)
        state.session = session
        state.sinceRestart = 0
        let value = session.value
        state.value = value.isFinite ? value : nil
        return session
    }

    /// Resets the search direction to steepest descent at the current point.
    private func restart(_ session: MultiminSession, _ state: inout State) throws {
        try session.restart(stepSize: state.trialStep)
        state.sinceRestart = 0
        state.restarts += 1
    }
}
