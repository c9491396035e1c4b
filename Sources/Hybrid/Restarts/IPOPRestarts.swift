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
/// problem declares one). A restart happens when any of pycma's criteria holds (its `tolx`
/// being the inner method's own):
/// - the method reports that it finished (CMA-ES: σ·max√Cᵢᵢ below 1e-8 of the mean's scale,
///   a non-finite distribution);
/// - flat fitness (pycma's `tolfun`): over the last 10 + ⌈30n/λ⌉ generations the generation
///   bests span at most τ, and so does the latest generation, τ = 1e-11 + 2⁻²¹·|f| (pycma's
///   1e-11, widened to Float32's resolution of f);
/// - stagnation (pycma's `tolstagnation`, on the best value rather than medians): the run's
///   best has not improved for 100 + ⌈100·n^1.5/λ⌉ generations.
/// Unlike a rule on the best value alone, none of these fires while a large population is
/// still exploring, when records are rare but the generation's fitness still spreads widely.
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
        /// The current run's generation bests (lowest finite fitness), oldest first, at most
        /// the flat-fitness window long.
        public var recent: [Float]
        /// The current run's best fitness, and the generations since it last improved.
        public var runBest: Float
        public var sinceImprovement: Int
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        let baseSize = try inner.parameters["populationSize"].map { _ in try ParameterReader(inner).value(Parameters.populationSize) }
            ?? base.sampledPerGeneration(dimension: problem.dimension)
        let method = try version(0, baseSize: baseSize)
        return State(
            restart: 0, baseSize: baseSize, inner: try method.start(problem, from: initial, run: &run),
            best: problem.confine(initial), bestFitness: .infinity, recent: [], runBest: .infinity, sinceImprovement: 0)
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        let method = try version(state.restart, baseSize: state.baseSize)
        let report = try method.step(&state.inner, problem, run: &run)
        if report.loss < state.bestFitness {
            state.bestFitness = report.loss
            state.best = method.incumbent(state.inner)
        }
        guard report.finished != nil || stops(&state, after: report, dimension: problem.dimension) else {
            return StepReport(loss: state.bestFitness, part: label(state))
        }
        guard state.restart < restarts else {
            return StepReport(loss: state.bestFitness, finished: report.finished.map { "last restart: \($0)" }, part: label(state))
        }
        state.restart += 1
        (state.recent, state.runBest, state.sinceImprovement) = ([], .infinity, 0)
        let next = try version(state.restart, baseSize: state.baseSize)
        state.inner = try next.start(problem, from: problem.sampleWeights(&run.rng), run: &run)
        return StepReport(loss: state.bestFitness, part: label(state))
    }

    public func incumbent(_ state: State) -> [Float] { state.best }

    /// Records the generation `report` describes and says whether the run is flat or stagnant.
    private func stops(_ state: inout State, after report: StepReport, dimension n: Int) -> Bool {
        let size = Double(state.baseSize << state.restart)
        if report.loss < state.runBest {
            (state.runBest, state.sinceImprovement) = (report.loss, 0)
        } else {
            state.sinceImprovement += 1
        }
        if state.sinceImprovement >= 100 + Int((100 * Double(n) * Double(n).squareRoot() / size).rounded(.up)) { return true }
        guard let generation = report.generationFitness else { return false }
        let window = 10 + Int((30 * Double(n) / size).rounded(.up))
        state.recent.append(generation.lowerBound)
        if state.recent.count > window { state.recent.removeFirst(state.recent.count - window) }
        let tolerance = 1e-11 + 0x1p-21 * abs(generation.lowerBound)
        guard state.recent.count == window, let low = state.recent.min(), let high = state.recent.max() else { return false }
        return high - low <= tolerance && generation.upperBound - generation.lowerBound <= tolerance
    }

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
