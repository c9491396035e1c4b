import WeightLabCore

/// PGPE, policy gradients with parameter-based exploration (Sehnke, Osendorfer, Rückstieß,
/// Graves, Peters & Schmidhuber, 2010, Neural Networks 23), with symmetric sampling and a
/// learned standard deviation per weight.
///
/// The search distribution is N(μ, diag(σ²)). Each generation draws K = n/2 perturbations
/// εₖ ~ N(0, diag(σ²)) and prices μ + εₖ and μ − εₖ. With fitness shaped into costs c
/// (centered ranks by default, as in evotorch and the ClipUp paper) and b the generation's
/// mean cost (zero under centered ranks; the paper keeps b as a moving average of past rewards):
///
///     g_μ = 1/K · Σₖ ½(c₊ₖ − c₋ₖ)·εₖ
///     g_σ = 1/K · Σₖ (½(c₊ₖ + c₋ₖ) − b)·(εₖ² − σ²)/σ
///
/// μ follows g_μ with `update` (ClipUp by default; Adam or momentum descent optional), and
/// σ ← σ − sigmaLearningRate·g_σ, each component's change limited to ±`sigmaMaxChange` of
/// its value (Toklu et al., 2020). With `evaluateCenter` the center is priced too.
///
/// Cost per generation: n (+1) evaluations.
///
/// Search box: individuals are priced at their projection plus a penalty (`BoxHandling.clipWithPenalty`),
/// so the distribution learns from its own unrepaired draws.
public struct PGPE: MirroredStrategy {
    /// Sampled individuals n, even (symmetric pairs). Default 50.
    public var populationSize: Int
    /// Starting σ of every weight. Default 0.05 (scaled for network weights).
    public var sigma: Float
    /// How μ follows g_μ. Default ClipUp with step 0.15, maximum speed 0.3, momentum 0.9
    /// (step = maxSpeed/2, the ratio Toklu et al. recommend).
    public var update: CenterUpdate
    /// Learning rate of σ. Default 0.1 (evotorch requires one and has no default).
    public var sigmaLearningRate: Float
    /// Largest relative change of a σ component per generation. Default 0.2 (evotorch's,
    /// after Ha, 2017).
    public var sigmaMaxChange: Float
    /// Fitness shaping. Default centered ranks.
    public var shaping: FitnessShaping
    /// Also price the center each generation. Default true.
    public var evaluateCenter: Bool

    public var name: String { "pgpe" }

    public init(
        populationSize: Int = Parameters.populationSize.defaultValue, sigma: Float = Parameters.sigma.defaultValue,
        update: CenterUpdate = Parameters.update,
        sigmaLearningRate: Float = Parameters.sigmaLearningRate.defaultValue, sigmaMaxChange: Float = Parameters.sigmaMaxChange.defaultValue,
        shaping: FitnessShaping = .centeredRanks, evaluateCenter: Bool = Parameters.evaluateCenter.defaultValue
    ) throws {
        self.populationSize = try MirroredSampling.checked(populationSize: populationSize)
        self.sigma = try Parameters.sigma.checked(sigma)
        try update.validate()
        self.update = update
        self.sigmaLearningRate = try Parameters.sigmaLearningRate.checked(sigmaLearningRate)
        self.sigmaMaxChange = try Parameters.sigmaMaxChange.checked(sigmaMaxChange)
        self.shaping = shaping
        self.evaluateCenter = evaluateCenter
    }

    public struct State: Codable, Sendable {
        /// The center μ.
        public var center: [Float]
        /// The standard deviation of every weight.
        public var sigmas: [Float]
        /// The center update's moments or velocity.
        public var optimizer = CenterUpdate.State()
        /// The K perturbations of the generation in flight.
        var perturbations = Scratch<Float>()
        var costs = Scratch<Float>()
        var order = Scratch<Int>()
        var gradient = Scratch<Float>()
        var sigmaGradient = Scratch<Float>()
    }

    public func initialState(_ problem: Problem, from initial: [Float], rng: inout RandomStream) throws -> State {
        State(
            center: initial, sigmas: [Float](repeating: sigma, count: initial.count))
    }

    public func ask(_ state: inout State, into population: inout PopulationMatrix, rng: inout RandomStream) {
        MirroredSampling.sample(
            around: state.center, scales: state.sigmas, pairs: populationSize / 2, evaluateCenter: evaluateCenter,
            perturbations: &state.perturbations.values, into: &population, rng: &rng)
    }

    public func tell(_ state: inout State, population: inout PopulationMatrix, fitness: [Float]) {
        let d = population.dimension
        let pairs = populationSize / 2
        shaping.costs(of: fitness, count: populationSize, order: &state.order.values, into: &state.costs.values)
        let costs = state.costs.values
        var baseline: Float = 0
        for c in costs { baseline += c }
        baseline /= Float(populationSize)
        state.gradient.resize(d, filling: 0)
        state.sigmaGradient.resize(d, filling: 0)
        let inverseK = 1 / Float(pairs)
        state.perturbations.values.withUnsafeBufferPointer { eps in
            state.gradient.values.withUnsafeMutableBufferPointer { g in
                state.sigmaGradient.values.withUnsafeMutableBufferPointer { gs in
                    state.sigmas.withUnsafeMutableBufferPointer { s in
                        for j in 0..<d {
                            g[j] = 0
                            gs[j] = 0
                        }
                        for k in 0..<pairs {
                            let difference = 0.5 * (costs[2 * k] - costs[2 * k + 1]) * inverseK
                            let average = (0.5 * (costs[2 * k] + costs[2 * k + 1]) - baseline) * inverseK
                            for j in 0..<d {
                                let e = eps[k * d + j]
                                g[j] += difference * e
                                gs[j] += average * (e * e - s[j] * s[j])
                            }
                        }
                        for j in 0..<d {
                            let step = sigmaLearningRate * gs[j] / s[j]
                            let limit = sigmaMaxChange * s[j]
                            s[j] = max(Float.leastNormalMagnitude, s[j] - min(limit, max(-limit, step)))
                        }
                    }
                }
            }
        }
        update.apply(&state.gradient.values, to: &state.center, state: &state.optimizer)
    }
}

extension PGPE {
    /// PGPE's parameters, with its center update's (`CenterUpdate.Parameters`).
    public enum Parameters {
        public static let populationSize = Parameter("populationSize", default: 50, .within(2...1_000_000), "n, even")
        public static let sigma = Parameter("sigma", default: Float(0.05), .within(1e-30...1e30), "starting σ of every weight")
        public static let sigmaLearningRate = Parameter("sigmaLearningRate", default: Float(0.1), .within(0...100), "σ's learning rate (evotorch requires one; no default there)")
        public static let sigmaMaxChange = Parameter("sigmaMaxChange", default: Float(0.2), .within(0...0.999), "largest relative change of σ per generation (evotorch's default, after Ha 2017)")
        public static let evaluateCenter = Parameter("evaluateCenter", default: true, .either, "also price the center")
        /// The center update left out of a specification.
        public static let update: CenterUpdate = .clipUp(learningRate: 0.15, .recommended(stepSize: 0.15))
        public static let infos = [populationSize.info, sigma.info] + CenterUpdate.Parameters.infos(default: update)
            + [sigmaLearningRate.info, sigmaMaxChange.info, FitnessShaping.parameter.info, evaluateCenter.info]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(
            populationSize: try p.value(Parameters.populationSize), sigma: try p.value(Parameters.sigma),
            update: try CenterUpdate(parameters: p, default: Parameters.update),
            sigmaLearningRate: try p.value(Parameters.sigmaLearningRate), sigmaMaxChange: try p.value(Parameters.sigmaMaxChange),
            shaping: try FitnessShaping(parameters: p), evaluateCenter: try p.value(Parameters.evaluateCenter))
    }
}
