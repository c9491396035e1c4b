import Foundation
import WeightLab

/// One optimizer driven by ask/tell from C: the optimizer runs its ordinary `start` and
/// `step` on a thread of its own, over an `ExternalObjective`; each evaluation it asks for
/// pauses that thread until the caller tells the fitness (a coroutine on two threads, so any
/// method, combiners included, runs unchanged). Between generations the state is the
/// optimizer's own `Codable` state plus the `RunState`, saved whole by `stateBytes()`.
/// Gradient methods ask for one point at a time and are told its loss and gradient.
final class Session: @unchecked Sendable {
    /// What the session is doing, guarded by `condition`.
    private enum Phase {
        /// Between generations; the driver thread waits for the next ask.
        case idle
        /// The driver thread is running toward its next request.
        case running
        /// A population waits to be priced (`delivered` once ask has returned it).
        case asked(PopulationMatrix, delivered: Bool)
        /// The caller told the fitness; the driver thread takes it.
        case told([Float])
        /// The driver thread ended a start or a step.
        case advanced((any Error)?)
    }

    let setup: Setup
    let optimizer: AnyWeightOptimizer
    let problem: Problem
    private let objective: ExternalObjective
    private let condition = NSCondition()
    private var phase = Phase.idle
    private var command: Bool = false
    private var closing = false
    private var finishedThread = false
    /// Signalled by the driver thread once it no longer holds the session.
    private let driverExited = DispatchSemaphore(value: 0)
    private var joined = false
    /// Whether the waiting request is a gradient method's (one point, loss and gradient).
    private var gradientWanted = false
    private var toldGradient: [Float]?

    // Driver-thread state, read by callers only while idle.
    private var run: RunState
    private var state: AnyWeightOptimizer.State?
    private(set) var best: [Float]
    private(set) var bestValue: Float = .infinity
    private(set) var steps = 0
    private(set) var evaluations = 0
    /// Why the optimizer stopped, once it reported that it can make no further progress.
    private(set) var finished: String?

    /// How the session was made: what its state bytes record beside the state.
    struct Setup: Codable {
        var spec: String
        var dimension: Int
        var seed: UInt64
        var lower: [Float]?
        var upper: [Float]?
        var start: [Float]?
    }

    /// The saved form: the setup, the run state, the optimizer's state and the counts.
    private struct Saved: Codable {
        var format = "weightlab-c-state-1"
        var setup: Setup
        var run: RunState
        var state: AnyWeightOptimizer.State?
        var best: [Float]
        var bestValue: Float
        var steps: Int
        var evaluations: Int
        var finished: String?
    }

    init(_ setup: Setup) throws {
        guard setup.dimension >= 1 else { throw WeightLabError.parameter("dimension", setup.dimension, allowed: "an integer ≥ 1") }
        self.setup = setup
        optimizer = AnyWeightOptimizer(try OptimizerRegistry.standard.make(OptimizerSpec(parsing: setup.spec, path: "spec")))
        objective = ExternalObjective(dimension: setup.dimension)
        let box = try setup.lower.flatMap { lower in try setup.upper.map { try SearchBox(lower: lower, upper: $0) } }
        let dimension = setup.dimension
        problem = try Problem(objective: objective, box: box) { rng in
            box?.uniformPoint(rng: &rng) ?? (0..<dimension).map { _ in rng.normal() }
        }
        if let start = setup.start {
            guard start.count == dimension else { throw WeightLabError.shape("x0", expected: dimension, actual: start.count) }
        }
        // As Trainer.run does: the start from split 1 of the seed's stream, the steps from split 2.
        let root = RandomStream(seed: setup.seed)
        var weightStream = root.split(1)
        best = problem.confine(setup.start ?? problem.sampleWeights(&weightStream))
        run = RunState(problem, rng: root.split(2))
        objective.session = self
        // The thread holds the session only while it drives, and says when it has let go, so the
        // caller that closes the session releases it last (not the exiting thread).
        let thread = Thread { [weak self, driverExited] in
            self?.drive()
            driverExited.signal()
        }
        thread.stackSize = 1 << 23
        thread.start()
    }

    /// A session continuing the one whose `stateBytes()` are `bytes`.
    convenience init(restoring bytes: Data) throws {
        // The incumbent is checked against the setup first: a setup claiming 10¹⁸ coordinates is
        // refused before the session allocates its starting point.
        let header = try JSONCoding.decoder().decode(SetupAndIncumbent.self, from: bytes)
        guard header.best.count == header.setup.dimension else {
            throw WeightLabError.shape("the saved incumbent", expected: header.setup.dimension, actual: header.best.count)
        }
        try self.init(header.setup)
        // The driver thread holds the session until it is closed: a refused state must close it.
        do {
            let saved = try JSONCoding.decoder(for: optimizer).decode(Saved.self, from: bytes)
            if let state = saved.state, let mismatch = optimizer.mismatch(state, problem) {
                throw WeightLabError(.data, "the saved state of \(optimizer.name) does not fit its setup: \(mismatch)")
            }
            run = saved.run
            state = saved.state
            best = saved.best
            bestValue = saved.bestValue
            steps = saved.steps
            evaluations = saved.evaluations
            finished = saved.finished
        } catch {
            close()
            throw error
        }
    }

    private struct SetupAndIncumbent: Decodable {
        var setup: Setup
        var best: [Float]
    }

    deinit {
        close()
    }

    // MARK: - The caller's side

    /// Runs to the next request and returns its row count; throws when one is already out.
    func ask() throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        for _ in 0..<10_000 {
            if case .idle = phase, let finished { throw FinishedError(description: "\(optimizer.name) finished: \(finished)") }
            switch phase {
            case .asked(let population, let delivered):
                guard !delivered else { throw SequenceError("ask called twice without tell") }
                phase = .asked(population, delivered: true)
                return population.count
            case .idle:
                command = true
                phase = .running
                condition.broadcast()
                while case .running = phase { condition.wait() }
            case .advanced(let error):
                phase = .idle
                if let error { throw error }
            case .running, .told:
                condition.wait()
            }
        }
        throw WeightLabError(.unsupported, "\(optimizer.name) made 10,000 steps without asking for an evaluation")
    }

    /// The incumbent and its fitness, as of the last completed step.
    func incumbent() -> ([Float], Float) {
        condition.lock()
        defer { condition.unlock() }
        return (best, bestValue)
    }

    /// Steps completed and evaluations told.
    func counts() -> (Int, Int) {
        condition.lock()
        defer { condition.unlock() }
        return (steps, evaluations)
    }

    /// The waiting population (after `ask`).
    func population() throws -> PopulationMatrix {
        condition.lock()
        defer { condition.unlock() }
        guard case .asked(let population, true) = phase else { throw SequenceError("no population is waiting: call ask first") }
        return population
    }

    /// Whether the waiting request wants a gradient too (a gradient method's step).
    func needsGradient() throws -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard case .asked(_, true) = phase else { throw SequenceError("no population is waiting: call ask first") }
        return gradientWanted
    }

    /// Prices the waiting population (with the gradient at its one point when the optimizer
    /// asked for it) and lets the optimizer run on to its next request or the end of its step.
    func tell(_ fitness: [Float], gradient: [Float]? = nil) throws {
        condition.lock()
        defer { condition.unlock() }
        guard case .asked(let population, true) = phase else { throw SequenceError("tell called without a population waiting (call ask first)") }
        guard fitness.count == population.count else {
            throw SequenceError("tell got \(fitness.count) fitness values for the \(population.count) rows asked")
        }
        if gradientWanted, gradient == nil {
            throw SequenceError("\(optimizer.name) asked for the gradient too: tell it with the gradient (wl_tell_gradient)")
        }
        if !gradientWanted, gradient != nil { throw SequenceError("\(optimizer.name) asked for fitness values only, not a gradient") }
        if let gradient, gradient.count != setup.dimension {
            throw SequenceError("the gradient has \(gradient.count) values, the optimizer \(setup.dimension)")
        }
        toldGradient = gradient
        phase = .told(fitness.map { $0.isNaN ? .infinity : ($0 == -.infinity ? .infinity : $0) })
        evaluations += fitness.count
        condition.broadcast()
        while true {
            switch phase {
            case .told, .running: condition.wait()
            case .advanced(let error):
                phase = .idle
                if let error { throw error }
                return
            case .asked, .idle: return
            }
        }
    }

    /// The state bytes: the setup, the run state and the optimizer's state, between generations.
    func stateBytes() throws -> Data {
        condition.lock()
        defer { condition.unlock() }
        guard case .idle = phase else { throw SequenceError("the state can be saved only between generations (after tell)") }
        return try JSONCoding.encoder().encode(
            Saved(setup: setup, run: run, state: state, best: best, bestValue: bestValue, steps: steps, evaluations: evaluations, finished: finished))
    }

    /// Stops the driver thread (pending work is abandoned).
    func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finishedThread { condition.wait() }
        let wait = !joined
        joined = true
        condition.unlock()
        if wait { driverExited.wait() }
    }

    // MARK: - The driver thread

    /// Called on the driver thread by the objective: hands `weights` over for a loss and a
    /// gradient, and waits.
    func priceWithGradient(_ weights: [Float]) throws -> (Float, [Float]) {
        var population = PopulationMatrix(count: 1, dimension: weights.count)
        population.values = weights
        let loss = try price(population, gradient: true)[0]
        condition.lock()
        defer { condition.unlock() }
        return (loss, toldGradient ?? [])
    }

    /// Called on the driver thread by the objective: hands `population` over and waits.
    func price(_ population: PopulationMatrix, gradient: Bool = false) throws -> [Float] {
        condition.lock()
        defer { condition.unlock() }
        gradientWanted = gradient
        phase = .asked(population, delivered: false)
        condition.broadcast()
        while true {
            if closing { throw CancellationError() }
            if case .told(let fitness) = phase {
                phase = .running
                return fitness
            }
            condition.wait()
        }
    }

    private func drive() {
        condition.lock()
        while true {
            while !command && !closing { condition.wait() }
            if closing { break }
            command = false
            condition.unlock()
            let error = advance()
            condition.lock()
            if closing { break }
            phase = .advanced(error)
            condition.broadcast()
        }
        finishedThread = true
        condition.broadcast()
        condition.unlock()
    }

    /// The start, or one step; nil or the error it threw.
    private func advance() -> (any Error)? {
        do {
            if var current = state {
                state = nil  // the live state stays uniquely referenced, so the step mutates it in place
                defer { state = current }
                let report = try optimizer.step(&current, problem, run: &run)
                steps += 1
                bestValue = report.loss
                best = problem.confine(optimizer.incumbent(current))
                finished = report.finished
            } else {
                state = try optimizer.start(problem, from: best, run: &run)
            }
            return nil
        } catch {
            return error
        }
    }
}

/// The optimizer reported that it can make no further progress.
struct FinishedError: Error, CustomStringConvertible {
    let description: String
}

/// Misuse of the ask/tell sequence.
struct SequenceError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
