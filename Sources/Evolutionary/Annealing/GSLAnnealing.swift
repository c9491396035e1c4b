@preconcurrency import CGSL
import Foundation
import WeightLabCore

/// Simulated annealing run by GSL's own `gsl_siman_solve` (GSL manual, "Simulated Annealing"),
/// to check `SimulatedAnnealing` against the library's implementation.
///
/// GSL holds the loop: at each temperature it makes `iterationsPerTemperature` moves, accepts
/// by Metropolis with Boltzmann constant k (`boltzmann`), keeps the best point, then divides
/// T by μ_T (`coolingFactor`) until T < `minimumTemperature`. The moves are ours
/// (`Perturbation` with scale `stepSize`, from the run's random stream).
///
/// What GSL imposes, and how this wrapper deals with it:
/// - The energy callback receives only the configuration pointer, no context. Instead of a
///   global or thread-local, each configuration is a block we allocate (GSL's variable-size
///   mode, with our copy, copy-constructor and destructor callbacks) whose header holds an
///   unretained pointer to this step's context (objective, batch, random stream) followed by
///   the weights. The context outlives the call, so concurrent runs never share state.
/// - `n_tries` is ignored by `gsl_siman_solve`; it is passed as 0.
/// - The budget is fixed by the schedule: ⌊ln(T₀/T_min)/ln μ_T⌋ + 1 temperatures of
///   `iterationsPerTemperature` moves. One step runs a chunk of `temperaturesPerStep`
///   temperatures as one `gsl_siman_solve` call (from T to T/μ_Tᴸ), which restarts from the
///   best point of the previous chunk and prices that point once more; after the last
///   temperature the step reports `finished`.
/// - GSL's default error handler aborts the process; it is turned off.
/// - GSL's Metropolis uses its own generator (mt19937), seeded each step from the run's stream.
///
/// Cost per step: temperaturesPerStep × iterationsPerTemperature + 1 evaluations.
public struct GSLAnnealing: WeightOptimizer {
    /// Moves per temperature (`iters_fixed_T`). Default 100.
    public var iterationsPerTemperature: Int
    /// Move scale (`step_size`). Default 0.1.
    public var stepSize: Float
    /// The move's noise and share of weights. Default Gaussian on all weights.
    public var perturbation: Perturbation
    /// k, the Boltzmann constant. Default 1 (GSL's example).
    public var boltzmann: Float
    /// T₀ (`t_initial`). Default 0.008 (GSL's example).
    public var temperature: Float
    /// μ_T, T ← T/μ_T per temperature. Default 1.003 (GSL's example).
    public var coolingFactor: Float
    /// T_min (`t_min`). Default 2e-6 (GSL's example).
    public var minimumTemperature: Float
    /// Temperatures per step. Default 10.
    public var temperaturesPerStep: Int

    public var name: String { "gsl-siman" }

    public init(
        iterationsPerTemperature: Int = Parameters.iterationsPerTemperature.defaultValue, stepSize: Float = Parameters.stepSize.defaultValue,
        perturbation: Perturbation? = nil, boltzmann: Float = Parameters.boltzmann.defaultValue, temperature: Float = Parameters.temperature.defaultValue,
        coolingFactor: Float = Parameters.coolingFactor.defaultValue, minimumTemperature: Float = Parameters.minimumTemperature.defaultValue,
        temperaturesPerStep: Int = Parameters.temperaturesPerStep.defaultValue
    ) throws {
        self.iterationsPerTemperature = try Parameters.iterationsPerTemperature.checked(iterationsPerTemperature)
        guard iterationsPerTemperature <= Int(Int32.max) else {
            throw WeightLabError.parameter("iterationsPerTemperature", iterationsPerTemperature, allowed: "at most \(Int32.max)")
        }
        self.stepSize = try Parameters.stepSize.checked(stepSize)
        self.boltzmann = try Parameters.boltzmann.checked(boltzmann)
        self.temperature = try Parameters.temperature.checked(temperature)
        guard coolingFactor.isFinite, coolingFactor > 1 else {
            throw WeightLabError.parameter("coolingFactor", coolingFactor, allowed: "a finite value > 1")
        }
        self.minimumTemperature = try Parameters.minimumTemperature.checked(minimumTemperature)
        guard minimumTemperature < temperature else {
            throw WeightLabError.parameter("minimumTemperature", minimumTemperature, allowed: "a value below temperature (\(temperature))")
        }
        self.temperaturesPerStep = try Parameters.temperaturesPerStep.checked(temperaturesPerStep)
        self.perturbation = try perturbation ?? Perturbation()
        self.coolingFactor = coolingFactor
    }

    /// The number of temperatures GSL's schedule visits from `temperature` to `minimumTemperature`.
    public var temperatureCount: Int {
        Int(log(Double(temperature) / Double(minimumTemperature)) / log(Double(coolingFactor))) + 1
    }

    public struct State: Codable, Sendable {
        /// The best point so far: where the next chunk starts.
        public var weights: [Float]
        /// Its loss; +∞ before the first step.
        public var loss: Float
        /// Temperatures done.
        public var temperaturesDone: Int
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        guard initial.count == problem.dimension else {
            throw WeightLabError.shape("gsl-siman: starting weights", expected: problem.dimension, actual: initial.count)
        }
        try MemoryEstimate.check("gsl-siman on \(problem.dimension) weights", needs: memoryParts(dimension: problem.dimension))
        return State(weights: initial, loss: .infinity, temperaturesDone: 0)
    }

    /// What a step holds on `dimension` weights, checked before the start: GSL's current, new
    /// and best configurations and our start block (each a 16-byte header and the weights), the
    /// state's weights and the energy's copy, and a subset move's undo list.
    func memoryParts(dimension: Int) -> [(String, Int?)] {
        let moved = perturbation.movedCount(dimension: dimension)
        let block = MemoryEstimate.bytes(dimension, 4).flatMap { $0 < Int.max - SimanContext.header ? $0 + SimanContext.header : nil }
        return [
            ("configurations 4 × (16 + \(dimension) × 4) bytes", block.flatMap { MemoryEstimate.bytes(4, $0) }),
            ("weights and the energy's copy 2 × \(dimension) × 4 bytes", MemoryEstimate.bytes(2, dimension, 4)),
            ("undo list 16 bytes per moved weight", moved < dimension ? MemoryEstimate.bytes(moved, 16) : 0),
        ]
    }

    /// A saved state holds the problem's weights and a count of temperatures within the schedule.
    public func mismatch(_ state: State, _ problem: Problem) -> String? {
        guard state.weights.count == problem.dimension else { return "its weights hold \(state.weights.count) values, the problem has \(problem.dimension)" }
        guard (0...temperatureCount).contains(state.temperaturesDone) else { return "it has done \(state.temperaturesDone) of \(temperatureCount) temperatures" }
        return nil
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        try checkFits(state, problem)
        let total = temperatureCount
        guard state.temperaturesDone < total else {
            return StepReport(loss: state.loss, finished: "the annealing schedule is complete")
        }
        let levels = min(temperaturesPerStep, total - state.temperaturesDone)
        let mu = Double(coolingFactor)
        let start = Double(temperature) / pow(mu, Double(state.temperaturesDone))
        let params = gsl_siman_params_t(
            n_tries: 0, iters_fixed_T: Int32(iterationsPerTemperature), step_size: Double(stepSize),
            k: Double(boltzmann), t_initial: start, mu_t: mu, t_min: start / pow(mu, Double(levels) - 0.5))
        let context = SimanContext(
            objective: problem.objective, batch: problem.fitnessBatch(rng: &run.rng), dimension: problem.dimension,
            perturbation: perturbation, rng: run.rng.fork())
        try context.solve(from: &state.weights, params: params, seed: run.rng.next())
        state.loss = Float(context.bestEnergy)
        state.temperaturesDone += levels
        let done = state.temperaturesDone >= total
        return StepReport(loss: state.loss, finished: done ? "the annealing schedule is complete" : nil)
    }

    public func incumbent(_ state: State) -> [Float] { state.weights }
}

/// What GSL's callbacks need, reached through the header of every configuration block.
/// A configuration is `header` bytes (this context's unretained pointer, then the weight
/// count) followed by the weights as Float32.
final class SimanContext {
    static let header = 16

    let objective: any Objective
    let batch: Samples
    let dimension: Int
    let perturbation: Perturbation
    var rng: RandomStream
    var scratch: [Float]
    var undo: [(index: Int, value: Float)] = []
    var failure: (any Error)?
    /// The lowest energy evaluated: the energy of the configuration GSL hands back.
    var bestEnergy = Double.infinity

    init(objective: any Objective, batch: Samples, dimension: Int, perturbation: Perturbation, rng: RandomStream) {
        self.objective = objective
        self.batch = batch
        self.dimension = dimension
        self.perturbation = perturbation
        self.rng = rng
        self.scratch = [Float](repeating: 0, count: dimension)
    }

    /// Runs `gsl_siman_solve` from `weights`, leaving the best point found in `weights`.
    func solve(from weights: inout [Float], params: gsl_siman_params_t, seed: UInt64) throws {
        GSLErrors.turnOffAbortingHandler()
        guard let generator = gsl_rng_alloc(weightlab_rng_mt19937()) else {
            throw WeightLabError(.numerical, "gsl-siman: GSL could not allocate its random number generator")
        }
        defer { gsl_rng_free(generator) }
        gsl_rng_set(generator, UInt(truncatingIfNeeded: seed))
        let start = Self.allocateConfiguration(dimension: dimension)
        defer { start.deallocate() }
        start.storeBytes(of: Unmanaged.passUnretained(self).toOpaque(), as: UnsafeMutableRawPointer.self)
        start.storeBytes(of: dimension, toByteOffset: 8, as: Int.self)
        let startWeights = Self.weights(of: start)
        for i in 0..<dimension { startWeights[i] = weights[i] }
        withExtendedLifetime(self) {
            gsl_siman_solve(
                generator, start,
                { configuration in SimanContext.context(of: configuration)?.energy(configuration) ?? .infinity },
                { _, configuration, stepSize in SimanContext.context(of: configuration)?.move(configuration, scale: stepSize) },
                nil, nil,
                { source, destination in SimanContext.copy(source, to: destination) },
                { configuration in SimanContext.duplicate(configuration) },
                { configuration in configuration?.deallocate() },
                0, params)
        }
        if let failure { throw failure }
        for i in 0..<dimension { weights[i] = startWeights[i] }
    }

    /// The energy: the objective's loss of the configuration's weights, +∞ if not finite.
    func energy(_ configuration: UnsafeMutableRawPointer?) -> Double {
        guard let configuration else { return .infinity }
        let w = Self.weights(of: configuration)
        for i in 0..<dimension { scratch[i] = w[i] }
        do {
            let loss = Double(try objective.loss(at: scratch, on: batch))
            let energy = loss.isFinite ? loss : .infinity
            bestEnergy = min(bestEnergy, energy)
            return energy
        } catch {
            if failure == nil { failure = error }
            return .infinity
        }
    }

    /// GSL's `take_step`: one `Perturbation` move of scale `scale`.
    func move(_ configuration: UnsafeMutableRawPointer?, scale: Double) {
        guard let configuration else { return }
        let w = UnsafeMutableBufferPointer(start: Self.weights(of: configuration), count: dimension)
        perturbation.apply(to: w, scale: Float(scale), undo: &undo, rng: &rng)
    }

    static func allocateConfiguration(dimension: Int) -> UnsafeMutableRawPointer {
        let block = UnsafeMutableRawPointer.allocate(byteCount: header + 4 * max(dimension, 1), alignment: 16)
        (block + header).bindMemory(to: Float.self, capacity: max(dimension, 1))
        return block
    }

    static func byteCount(_ configuration: UnsafeMutableRawPointer) -> Int {
        header + 4 * configuration.load(fromByteOffset: 8, as: Int.self)
    }

    static func weights(of configuration: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Float> {
        (configuration + header).assumingMemoryBound(to: Float.self)
    }

    static func context(of configuration: UnsafeMutableRawPointer?) -> SimanContext? {
        guard let pointer = configuration?.load(as: UnsafeMutableRawPointer?.self) else { return nil }
        return Unmanaged<SimanContext>.fromOpaque(pointer).takeUnretainedValue()
    }

    static func copy(_ source: UnsafeMutableRawPointer?, to destination: UnsafeMutableRawPointer?) {
        guard let source, let destination else { return }
        destination.copyMemory(from: source, byteCount: byteCount(source))
    }

    static func duplicate(_ configuration: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        guard let configuration else { return nil }
        let count = configuration.load(fromByteOffset: 8, as: Int.self)
        let copy = allocateConfiguration(dimension: count)
        copy.copyMemory(from: configuration, byteCount: byteCount(configuration))
        return copy
    }
}

extension GSLAnnealing {
    /// gsl_siman_solve's parameters (the temperatures are GSL's example values), with the move's.
    public enum Parameters {
        public static let iterationsPerTemperature = Parameter("iterationsPerTemperature", default: 100, .within(1...Int(Int32.max)), "`iters_fixed_T`")
        public static let stepSize = Parameter("stepSize", default: Float(0.1), .within(1e-30...1e30), "`step_size`, the move scale")
        public static let boltzmann = Parameter("boltzmann", default: Float(1), .within(1e-30...1e30), "k (GSL's example)")
        public static let temperature = Parameter("temperature", default: Float(0.008), .within(1e-30...1e30), "`t_initial` (GSL's example)")
        public static let coolingFactor = Parameter("coolingFactor", default: Float(1.003), .within(1.000001...1e6), "`mu_t` (GSL's example)")
        public static let minimumTemperature = Parameter("minimumTemperature", default: Float(2e-6), .within(1e-30...1e30), "`t_min` (GSL's example)")
        public static let temperaturesPerStep = Parameter("temperaturesPerStep", default: 10, .atLeast(1), "temperatures per `gsl_siman_solve` call")
        public static let infos = [iterationsPerTemperature.info, stepSize.info] + Perturbation.Parameters.infos + [
            boltzmann.info, temperature.info, coolingFactor.info, minimumTemperature.info, temperaturesPerStep.info,
        ]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(
            iterationsPerTemperature: try p.value(Parameters.iterationsPerTemperature), stepSize: try p.value(Parameters.stepSize),
            perturbation: try Perturbation(parameters: p), boltzmann: try p.value(Parameters.boltzmann),
            temperature: try p.value(Parameters.temperature), coolingFactor: try p.value(Parameters.coolingFactor),
            minimumTemperature: try p.value(Parameters.minimumTemperature), temperaturesPerStep: try p.value(Parameters.temperaturesPerStep))
    }
}
