import Foundation
import WeightLabCore

/// Simulated annealing (Kirkpatrick, Gelatt & Vecchi, 1983) on the weight vector.
///
/// A move perturbs the current point (`Perturbation`: Gaussian or Cauchy noise of scale s on
/// all weights or a random subset) and is accepted by the Metropolis criterion at the
/// temperature the `schedule` gives after k moves (`Metropolis`, `CoolingSchedule`). One step
/// is `movesPerStep` moves, all priced on one fitness batch.
///
/// - T₀: `temperature`, or calibrated at the start from `calibrationMoves` trial moves so that
///   an average uphill move is accepted with probability `initialAcceptance`:
///   T₀ = −mean(Δ⁺)/ln χ₀ (Johnson, Aragon, McGeoch & Schevon, 1989).
/// - Adaptive step (optional, `targetAcceptance`): after every `adaptationInterval` moves,
///   ln s ← ln s + (acceptance rate − target), a Robbins–Monro step toward the target rate
///   (as in adaptive MCMC, Andrieu & Thoms, 2008).
/// - Reheating (optional, `reheatAfter`): after that many moves without a new best, the
///   schedule restarts at T₀ from the best point.
///
/// On a network (no box) with `stepSize` left out, s is `Parameters.layerShare` of each
/// weight's initializer scale, and where also left out a move changes 1% of the weights
/// (`Parameters.networkFraction`) and χ₀ is 0.01 (`Parameters.networkAcceptance`): moves on
/// all 25,000 weights of a network are almost never accepted, and χ₀ = 0.8 is far too hot for
/// the small steps that are (docs/evolutionary.md).
///
/// With a search box, a move that leaves it is reflected back in at the bounds it crossed
/// (the usual repair of annealing moves, which keeps the proposal symmetric; Corana et al.,
/// 1987, resample instead), and the start is projected into the box.
///
/// The incumbent is the best point seen (the current point when the problem resamples its
/// fitness subset, since losses on different subsets do not compare). Cost per step:
/// `movesPerStep` evaluations (+1 to reprice the current point under resampling).
public struct SimulatedAnnealing: WeightOptimizer {
    /// The move. Default Gaussian on all weights.
    public var perturbation: Perturbation
    /// The noise scale s (its start when adaptive); nil for 0.1·(high − low) of the problem's
    /// box, else 0.1.
    public var stepSize: Float?
    /// T₀; nil to calibrate. Default nil.
    public var temperature: Float?
    /// χ₀, the uphill acceptance the calibration aims at. Default 0.8.
    public var initialAcceptance: Float
    /// Trial moves for the calibration. Default 20.
    public var calibrationMoves: Int
    /// The cooling schedule. Default exponential with α = 0.999 per move.
    public var schedule: CoolingSchedule
    /// Moves per step. Default 100.
    public var movesPerStep: Int
    /// Moves without a new best before reheating; nil for never. Default nil.
    public var reheatAfter: Int?
    /// Acceptance rate the step size adapts toward; nil for a fixed step. Default nil.
    public var targetAcceptance: Float?
    /// Moves between step-size adaptations. Default 100.
    public var adaptationInterval: Int
    /// The parameters a specification left out (`moveFraction`, `initialAcceptance`), which
    /// take their network values on a network. Default none.
    public var followed: LeftOut

    public var name: String { "sa" }

    public init(
        perturbation: Perturbation? = nil, stepSize: Float? = nil, temperature: Float? = nil,
        initialAcceptance: Float = Parameters.initialAcceptance.defaultValue, calibrationMoves: Int = Parameters.calibrationMoves.defaultValue,
        schedule: CoolingSchedule = .exponential(rate: Parameters.coolingRate.defaultValue), movesPerStep: Int = Parameters.movesPerStep.defaultValue,
        reheatAfter: Int? = nil, targetAcceptance: Float? = nil, adaptationInterval: Int = Parameters.adaptationInterval.defaultValue,
        followed: LeftOut = []
    ) throws {
        self.stepSize = try Parameters.stepSize.checked(stepSize)
        self.temperature = try Parameters.temperature.checked(temperature)
        guard initialAcceptance.isFinite, initialAcceptance > 0, initialAcceptance < 1 else {
            throw WeightLabError.parameter("initialAcceptance", initialAcceptance, allowed: "a probability in (0, 1)")
        }
        self.calibrationMoves = try Parameters.calibrationMoves.checked(calibrationMoves)
        try schedule.validate()
        self.movesPerStep = try Parameters.movesPerStep.checked(movesPerStep)
        self.reheatAfter = try Parameters.reheatAfter.checked(reheatAfter)
        if let targetAcceptance {
            guard targetAcceptance.isFinite, targetAcceptance > 0, targetAcceptance < 1 else {
                throw WeightLabError.parameter("targetAcceptance", targetAcceptance, allowed: "a probability in (0, 1)")
            }
        }
        self.adaptationInterval = try Parameters.adaptationInterval.checked(adaptationInterval)
        self.perturbation = try perturbation ?? Perturbation()
        self.initialAcceptance = initialAcceptance
        self.schedule = schedule
        self.targetAcceptance = targetAcceptance
        self.followed = followed
    }

    public struct State: Codable, Sendable {
        public var current: [Float]
        public var currentLoss: Float
        public var best: [Float]
        public var bestLoss: Float
        /// T₀ (given or calibrated).
        public var initialTemperature: Double
        /// Moves made.
        public var moves: Int
        /// Moves since the schedule (re)started.
        public var scheduleMoves: Int
        /// The current noise scale (in units of `stepScales` when set).
        public var stepSize: Float
        /// Per weight, the factor of the noise scale: each weight's initializer scale on a
        /// network whose step follows it, else nil. Set, it also brings the network's move.
        public var stepScales: [Float]? = nil
        /// The move count at the last new best.
        public var lastImprovement: Int
        var windowProposed: Int
        var windowAccepted: Int
        var candidate = Scratch<Float>()
        var undo = Scratch<(index: Int, value: Float)>()

        /// The temperature of the next move.
        public func temperature(_ schedule: CoolingSchedule) -> Double {
            schedule.temperature(after: scheduleMoves, from: initialTemperature)
        }
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        guard initial.count == problem.dimension else {
            throw WeightLabError.shape("sa: starting weights", expected: problem.dimension, actual: initial.count)
        }
        try MemoryEstimate.check("sa on \(problem.dimension) weights", needs: memoryParts(dimension: problem.dimension))
        let initial = problem.confine(initial)
        let batch = problem.fitnessBatch(rng: &run.rng)
        let loss = sanitized(try problem.objective.loss(at: initial, on: batch))
        let scales = stepSize == nil ? problem.networkScales : nil
        var state = State(
            current: initial, currentLoss: loss, best: initial, bestLoss: loss, initialTemperature: Double(temperature ?? 0),
            moves: 0, scheduleMoves: 0, stepSize: stepSize ?? (scales == nil ? problem.stepDefault(share: 0.1, otherwise: 0.1) : Parameters.layerShare),
            stepScales: scales, lastImprovement: 0, windowProposed: 0, windowAccepted: 0)
        if temperature == nil {
            state.initialTemperature = try calibratedTemperature(&state, problem, batch, rng: &run.rng)
        }
        return state
    }

    /// What a run holds on `dimension` weights, checked before the start: the current, best
    /// and candidate points, and a subset move's undo list (an index and a value per moved weight).
    func memoryParts(dimension: Int) -> [(String, Int?)] {
        let moved = perturbation.movedCount(dimension: dimension)
        return [
            ("current, best and candidate points 3 × \(dimension) × 4 bytes", MemoryEstimate.bytes(3, dimension, 4)),
            ("undo list 16 bytes per moved weight", moved < dimension ? MemoryEstimate.bytes(moved, 16) : 0),
        ]
    }

    /// T₀ = −mean(Δ⁺)/ln χ₀ over trial moves from the start (which stays the current point).
    func calibratedTemperature(_ state: inout State, _ problem: Problem, _ batch: Samples, rng: inout RandomStream) throws -> Double {
        var uphill = 0.0
        var count = 0
        for _ in 0..<calibrationMoves {
            overwrite(&state.candidate.values, with: state.current)
            propose(&state, into: \.candidate.values, box: problem.box, rng: &rng)
            let loss = sanitized(try problem.objective.loss(at: state.candidate.values, on: batch))
            let delta = Double(loss) - Double(state.currentLoss)
            if delta > 0, delta.isFinite {
                uphill += delta
                count += 1
            }
        }
        guard count > 0 else { return 1e-3 * max(1, Double(abs(state.currentLoss))) }
        let acceptance = state.stepScales != nil && followed.contains(Parameters.initialAcceptance) ? Parameters.networkAcceptance : initialAcceptance
        return -(uphill / Double(count)) / log(Double(acceptance))
    }

    /// A saved state holds current and best points of the problem's width and move counts
    /// that can still grow.
    public func mismatch(_ state: State, _ problem: Problem) -> String? {
        let d = problem.dimension
        guard state.current.count == d, state.best.count == d else {
            return "its current and best points hold \(state.current.count) and \(state.best.count) values, the problem has \(d)"
        }
        if let scales = state.stepScales, scales.count != d {
            return "its step scales hold \(scales.count) values, the problem has \(d)"
        }
        let counts = 0...(1 << 53)
        guard counts.contains(state.moves), counts.contains(state.scheduleMoves), counts.contains(state.lastImprovement) else {
            return "its move counts (\(state.moves), \(state.scheduleMoves), \(state.lastImprovement)) are outside 0…2⁵³"
        }
        return nil
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        try checkFits(state, problem)
        let batch = problem.fitnessBatch(rng: &run.rng)
        var resampled = false
        if case .resampled = problem.fitnessSamples {
            resampled = true
            state.currentLoss = sanitized(try problem.objective.loss(at: state.current, on: batch))
        }
        for _ in 0..<movesPerStep {
            try move(&state, problem, batch, rng: &run.rng)
        }
        if resampled {
            state.best = state.current
            state.bestLoss = state.currentLoss
        }
        return StepReport(loss: state.bestLoss)
    }

    /// One proposal, its Metropolis decision, and the bookkeeping that follows.
    func move(_ state: inout State, _ problem: Problem, _ batch: Samples, rng: inout RandomStream) throws {
        let t = state.temperature(schedule)
        let subset = perturbation(onNetwork: state.stepScales != nil).movedCount(dimension: state.current.count) < state.current.count
        let accepted: Bool
        if subset {
            propose(&state, into: \.current, box: problem.box, rng: &rng)
            let loss = sanitized(try problem.objective.loss(at: state.current, on: batch))
            accepted = Metropolis.accepts(candidate: loss, current: state.currentLoss, temperature: t, rng: &rng)
            if accepted {
                state.currentLoss = loss
            } else {
                state.current.withUnsafeMutableBufferPointer { Perturbation.revert($0, undo: state.undo.values) }
            }
        } else {
            overwrite(&state.candidate.values, with: state.current)
            propose(&state, into: \.candidate.values, box: problem.box, rng: &rng)
            let loss = sanitized(try problem.objective.loss(at: state.candidate.values, on: batch))
            accepted = Metropolis.accepts(candidate: loss, current: state.currentLoss, temperature: t, rng: &rng)
            if accepted {
                swap(&state.current, &state.candidate.values)
                state.currentLoss = loss
            }
        }
        state.moves += 1
        state.scheduleMoves += 1
        state.windowProposed += 1
        if accepted {
            state.windowAccepted += 1
            if state.currentLoss < state.bestLoss {
                state.best = state.current
                state.bestLoss = state.currentLoss
                state.lastImprovement = state.moves
            }
        }
        if let target = targetAcceptance, state.windowProposed >= adaptationInterval {
            let rate = Float(state.windowAccepted) / Float(state.windowProposed)
            state.stepSize = min(1e6, max(1e-10, state.stepSize * expf(rate - target)))
            state.windowProposed = 0
            state.windowAccepted = 0
        }
        if let reheatAfter, state.moves - state.lastImprovement >= reheatAfter {
            state.scheduleMoves = 0
            state.current = state.best
            state.currentLoss = state.bestLoss
            state.lastImprovement = state.moves
        }
    }

    public func incumbent(_ state: State) -> [Float] { state.best }

    /// The move in force: on a network whose step follows its scale, 1% of the weights where
    /// `moveFraction` was left out.
    func perturbation(onNetwork: Bool) -> Perturbation {
        guard onNetwork, followed.contains(Perturbation.Parameters.fraction) else { return perturbation }
        var move = perturbation
        move.fraction = Parameters.networkFraction
        return move
    }

    /// A move of the point at `point` in `state`, at the state's step (times its per-weight
    /// scales), reflected back into `box` at the bounds it crossed.
    private func propose(_ state: inout State, into point: WritableKeyPath<State, [Float]>, box: SearchBox?, rng: inout RandomStream) {
        let move = perturbation(onNetwork: state.stepScales != nil)
        let scale = state.stepSize
        let scales = state.stepScales ?? []
        var undo: [(index: Int, value: Float)] = []
        swap(&undo, &state.undo.values)
        defer { swap(&undo, &state.undo.values) }
        scales.withUnsafeBufferPointer { scales in
            state[keyPath: point].withUnsafeMutableBufferPointer { weights in
                move.apply(to: weights, scale: scale, scales: scales.isEmpty ? nil : scales.baseAddress, undo: &undo, rng: &rng)
                if let box, let base = weights.baseAddress { box.reflect(base, count: weights.count) }
            }
        }
    }
}

/// Copies `source` into `destination`'s own storage, allocating only when the sizes differ
/// or the storage is shared.
func overwrite(_ destination: inout [Float], with source: [Float]) {
    if destination.count != source.count {
        destination = source
        return
    }
    destination.withUnsafeMutableBufferPointer { d in
        source.withUnsafeBufferPointer { s in
            guard let to = d.baseAddress, let from = s.baseAddress else { return }
            to.update(from: from, count: s.count)
        }
    }
}

/// A loss with every non-finite value replaced by +∞ (the minimization convention).
@inline(__always)
func sanitized(_ loss: Float) -> Float { loss.isFinite ? loss : .infinity }

extension SimulatedAnnealing {
    /// Simulated annealing's parameters, with its move's (`Perturbation.Parameters`).
    public enum Parameters {
        public static let stepSize = Parameter<Float?>(
            "stepSize", absent: "0.1·(high − low) with a box, 0.5 of each weight's initializer scale on a network, else 0.1", .within(1e-30...1e30),
            "s (the start when adaptive)")
        public static let temperature = Parameter<Float?>("temperature", absent: "calibrated", .nonNegative, "T₀; absent: T₀ = −mean(Δ⁺)/ln χ₀ from trial moves")
        public static let initialAcceptance = Parameter("initialAcceptance", default: Float(0.8), .within(1e-6...0.999999), "χ₀ for the calibration")
        /// s on a network, in units of each weight's initializer scale (docs/domains.md).
        static let layerShare: Float = 0.5
        /// The share of weights a move changes on a network.
        static let networkFraction: Float = 0.01
        /// χ₀ on a network.
        static let networkAcceptance: Float = 0.01
        public static let calibrationMoves = Parameter("calibrationMoves", default: 20, .within(1...1_000_000), "trial moves for it")
        public static let schedule = Parameter("schedule", default: "exponential", .oneOf(CoolingSchedule.names), "`exponential` (T₀αᵏ), `linear` (T₀(1 − k/K)), `logarithmic` (T₀ ln 2/ln(k + 2)), `fast` (T₀/(1 + k))")
        public static let coolingRate = Parameter("coolingRate", default: Float(0.999), .within(1e-6...0.999999), "α per move")
        public static let coolingMoves = Parameter("coolingMoves", default: 10_000, .atLeast(1), "K")
        public static let movesPerStep = Parameter("movesPerStep", default: 100, .atLeast(1), "moves per step")
        public static let reheatAfter = Parameter<Int?>("reheatAfter", absent: "never", .atLeast(1), "moves without a new best before the schedule restarts from the best point")
        public static let targetAcceptance = Parameter<Float?>("targetAcceptance", absent: "none: a fixed step", .within(1e-6...0.999999), "adapt s: ln s ← ln s + (rate − target) every `adaptationInterval` moves")
        public static let adaptationInterval = Parameter("adaptationInterval", default: 100, .atLeast(1), "moves per adaptation window")
        public static let infos = Perturbation.Parameters.infos.map(followingTheNetwork) + [
            stepSize.info, temperature.info, followingTheNetwork(initialAcceptance.info), calibrationMoves.info, schedule.info, coolingRate.info,
            coolingMoves.info, movesPerStep.info, reheatAfter.info, targetAcceptance.info, adaptationInterval.info,
        ]

        /// The rows that take their network values when left out (`followed`).
        static func followingTheNetwork(_ info: ParameterInfo) -> ParameterInfo {
            let network: Float
            switch info.name {
            case Perturbation.Parameters.fraction.name: network = networkFraction
            case initialAcceptance.name: network = networkAcceptance
            default: return info
            }
            return ParameterInfo(
                name: info.name, defaultText: "\(network) on a network with `stepSize` left out, else \(info.defaultText)", allowed: info.allowed, doc: info.doc)
        }
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        let schedule: CoolingSchedule
        switch try p.value(Parameters.schedule) {
        case "linear": schedule = .linear(moves: try p.value(Parameters.coolingMoves))
        case "logarithmic": schedule = .logarithmic
        case "fast": schedule = .fast
        default: schedule = .exponential(rate: try p.value(Parameters.coolingRate))
        }
        try self.init(
            perturbation: try Perturbation(parameters: p), stepSize: try p.value(Parameters.stepSize),
            temperature: try p.value(Parameters.temperature), initialAcceptance: try p.value(Parameters.initialAcceptance),
            calibrationMoves: try p.value(Parameters.calibrationMoves), schedule: schedule, movesPerStep: try p.value(Parameters.movesPerStep),
            reheatAfter: try p.value(Parameters.reheatAfter), targetAcceptance: try p.value(Parameters.targetAcceptance),
            adaptationInterval: try p.value(Parameters.adaptationInterval),
            followed: LeftOut([Perturbation.Parameters.fraction.name, Parameters.initialAcceptance.name], of: p))
    }
}
