import Synchronization
import WeightLabCore
import WeightLabEvolutionary

/// IPOP restarts over any population method (Auger & Hansen, 2005, "A Restart CMA Evolution
/// Strategy With Increasing Population Size", CEC 2005; pycma's `restarts` with
/// `incpopsize = 2`): run the method until it stops making progress, then start it afresh from
/// a new starting point with twice the population, up to `restarts` times.
///
/// Restart k (k = 0, 1, …) runs the inner specification with `populationSize` = λ₀·2ᵏ, λ₀ the
/// specification's own `populationSize` or the method's default sample count for the
/// dimension, from a fresh draw of `problem.sampleWeights` (uniform in the search box when the
/// problem declares one). A restart happens when either
/// - the method reports that it finished (CMA-ES: σ·max√Cᵢᵢ below 1e-8 of the mean's scale,
///   a non-finite distribution), or
/// - its best fitness improved by at most 1e-12·max(1, |f|) over the last 10 + ⌈30n/λ⌉
///   generations (pycma's `tolfunhist` window, applied to the best value so far).
/// After the last restart the method runs on until the run loop stops it (or it finishes).
///
/// The incumbent is the best point of all restarts. Fitness values of different restarts are
/// compared, so the problem should price every generation on the same samples (an analytic
/// function, a fixed subset). Cost: the inner method's; a restart itself costs nothing.
public struct IPOPRestarts: CombiningOptimizer {
    /// The inner method's specification, without the population size of a restart.
    public let inner: OptimizerSpec
    /// The most restarts (pycma's examples use 9).
    public let restarts: Int
    private let base: any PopulationMethod
    private let versions: Versions

    public var name: String { "ipop" }
    public var parts: [AnyWeightOptimizer] { [AnyWeightOptimizer(base)] }

    /// IPOP over the population method `inner` builds, at most `restarts` times.
    public init(inner: OptimizerSpec, restarts: Int = Parameters.restarts.defaultValue, registry: OptimizerRegistry) throws {
        self.restarts = try Parameters.restarts.checked(restarts)
        guard registry.entry(inner.name)?.parameters.contains(where: { $0.name == "populationSize" }) == true,
              let method = try registry.make(inner) as? any PopulationMethod
        else {
            throw WeightLabError(.specification, "\(inner.path): ipop restarts a population method with a populationSize (ga, de, pso, cma-es, sep-cma-es, openai-es, pgpe, snes), not '\(inner.name)'")
        }
        self.inner = inner
        self.base = method
        self.versions = Versions(registry: registry)
    }

    public struct State: Codable, Sendable {
        /// Restarts done (0 during the first run).
        public var restart: Int
        /// λ₀, the population of the first run.
        public var baseSize: Int
        /// The current run's state.
        public var inner: AnyWeightOptimizer.State
        /// The best point of all runs and its fitness (+∞ before the first generation).
        @PackedFloats public var best: [Float]
        public var bestFitness: Float
        /// The current run's best fitness after each of its latest generations, oldest first.
        public var recent: [Float]
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        let baseSize = try inner.parameters["populationSize"].map { _ in try ParameterReader(inner).value(Parameters.populationSize) }
            ?? base.sampledPerGeneration(dimension: problem.dimension)
        let method = try version(0, baseSize: baseSize)
        return State(
            restart: 0, baseSize: baseSize, inner: try method.start(problem, from: initial, run: &run),
            best: problem.confine(initial), bestFitness: .infinity, recent: [])
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        let method = try version(state.restart, baseSize: state.baseSize)
        let report = try method.step(&state.inner, problem, run: &run)
        if report.loss < state.bestFitness {
            state.bestFitness = report.loss
            state.best = method.incumbent(state.inner)
        }
        state.recent.append(report.loss)
        let window = 10 + Int((30 * Double(problem.dimension) / Double(state.baseSize << state.restart)).rounded(.up))
        if state.recent.count > window + 1 { state.recent.removeFirst(state.recent.count - window - 1) }
        let stalled = state.recent.count > window
            && (state.recent.first ?? 0) - (state.recent.last ?? 0) <= 1e-12 * max(1, abs(state.recent.last ?? 0))
        guard report.finished != nil || stalled else { return StepReport(loss: state.bestFitness, part: label(state)) }
        guard state.restart < restarts else {
            return StepReport(loss: state.bestFitness, finished: report.finished.map { "last restart: \($0)" }, part: label(state))
        }
        state.restart += 1
        state.recent = []
        let next = try version(state.restart, baseSize: state.baseSize)
        state.inner = try next.start(problem, from: problem.sampleWeights(&run.rng), run: &run)
        return StepReport(loss: state.bestFitness, part: label(state))
    }

    public func incumbent(_ state: State) -> [Float] { state.best }

    private func label(_ state: State) -> String { "\(inner.name)×\(state.baseSize << state.restart)" }

    /// The inner method of restart `k`: population λ₀·2ᵏ.
    private func version(_ k: Int, baseSize: Int) throws -> AnyWeightOptimizer {
        try versions.method(size: baseSize << k) { size in
            var spec = inner
            spec.parameters["populationSize"] = .number(Double(size))
            return AnyWeightOptimizer(try versions.registry.make(spec))
        }
    }

    /// The inner methods built so far, by population size (a specification is read once).
    private final class Versions: Sendable {
        let registry: OptimizerRegistry
        private let built = Mutex<[Int: AnyWeightOptimizer]>([:])

        init(registry: OptimizerRegistry) { self.registry = registry }

        func method(size: Int, make: (Int) throws -> AnyWeightOptimizer) throws -> AnyWeightOptimizer {
            if let method = built.withLock({ $0[size] }) { return method }
            let method = try make(size)
            built.withLock { $0[size] = method }
            return method
        }
    }
}

extension IPOPRestarts {
    /// IPOP's parameters.
    public enum Parameters {
        public static let restarts = Parameter("restarts", default: 9, .within(0...30), "most restarts, each doubling the population (pycma's examples: 9)")
        static let populationSize = Parameter("populationSize", default: 2, .within(2...1_000_000), "λ₀")
        public static let infos = [PartParameters.part("inner", "the population method restarted", example: #"{"optimizer": "cma-es", "populationSize": 4}"#), restarts.info]
    }

    /// Reads `{"inner": SPEC, "restarts": k}`.
    public init(parameters p: ParameterReader, registry: OptimizerRegistry) throws {
        let spec = try p.requiredPart("inner", example: #"{"optimizer": "cma-es"}"#)
        try self.init(inner: spec, restarts: try p.value(Parameters.restarts), registry: registry)
    }
}
