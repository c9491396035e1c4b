import WeightLabCore

/// OpenAI-ES (Salimans, Ho, Chen, Sidor & Sutskever, 2017, "Evolution Strategies as a
/// Scalable Alternative to Reinforcement Learning").
///
/// The search distribution is N(μ, σ²I) with a fixed σ. Each generation draws n/2 directions
/// εₖ ~ N(0, I) and prices the antithetic pairs μ + σεₖ and μ − σεₖ (mirrored sampling, which
/// cancels the even terms of the estimate). Fitness becomes centered-rank costs cᵢ (see
/// `FitnessShaping`), and the loss gradient is estimated as
///
///     g = 1/(nσ) · Σₖ (c₊ₖ − c₋ₖ)·εₖ  (+ weightDecay·μ, the paper's L2 coefficient)
///
/// which the center follows with `update` (Adam in the paper). The center itself is priced
/// too when `evaluateCenter` is set (one more evaluation), so the incumbent can be the mean
/// rather than a noisy sample — in network-sized dimensions the mean is usually the better.
///
/// Cost per generation: n (+1) evaluations.
///
/// Search box: individuals are priced at their projection plus a penalty (`BoxHandling.clipWithPenalty`),
/// so the distribution learns from its own unrepaired draws.
public struct OpenAIES: MirroredStrategy {
    /// Sampled individuals n, even (antithetic pairs). Default 50.
    public var populationSize: Int
    /// Standard deviation σ of the perturbations. Default 0.02 (Salimans et al.'s MuJoCo setting).
    public var sigma: Float
    /// How μ follows the estimated gradient. Default Adam, learning rate 0.01, β = (0.9, 0.999), ε = 1e-8.
    public var update: CenterUpdate
    /// L2 coefficient added to the gradient estimate. Default 0 (the paper used 0.005).
    public var weightDecay: Float
    /// Fitness shaping. Default centered ranks.
    public var shaping: FitnessShaping
    /// Also price the center each generation. Default true.
    public var evaluateCenter: Bool

    public var name: String { "openai-es" }

    public init(
        populationSize: Int = Parameters.populationSize.defaultValue, sigma: Float = Parameters.sigma.defaultValue,
        update: CenterUpdate = Parameters.update,
        weightDecay: Float = Parameters.weightDecay.defaultValue, shaping: FitnessShaping = .centeredRanks,
        evaluateCenter: Bool = Parameters.evaluateCenter.defaultValue
    ) throws {
        self.populationSize = try MirroredSampling.checked(populationSize: populationSize)
        self.sigma = try Parameters.sigma.checked(sigma)
        try update.validate()
        self.update = update
        self.weightDecay = try Parameters.weightDecay.checked(weightDecay)
        self.shaping = shaping
        self.evaluateCenter = evaluateCenter
    }

    public struct State: Codable, Sendable {
        /// The center μ.
        public var center: [Float]
        /// The center update's moments.
        public var optimizer = CenterUpdate.State()
        /// The n/2 perturbations σεₖ of the generation in flight.
        var perturbations = Scratch<Float>()
        /// σ for every weight, as mirrored sampling takes it.
        var scales = Scratch<Float>()
        var costs = Scratch<Float>()
        var order = Scratch<Int>()
        var gradient = Scratch<Float>()
        var pairWeights = Scratch<Float>()
    }

    public func initialState(_ problem: Problem, from initial: [Float], rng: inout RandomStream) throws -> State {
        State(center: initial)
    }

    public func ask(_ state: inout State, into population: inout PopulationMatrix, rng: inout RandomStream) {
        if state.scales.values.count != population.dimension {
            state.scales.values = [Float](repeating: sigma, count: population.dimension)
        }
        MirroredSampling.sample(
            around: state.center, scales: state.scales.values, pairs: populationSize / 2, evaluateCenter: evaluateCenter,
            perturbations: &state.perturbations.values, into: &population, rng: &rng)
    }

    public func tell(_ state: inout State, population: inout PopulationMatrix, fitness: [Float]) {
        let d = population.dimension
        let pairs = populationSize / 2
        shaping.costs(of: fitness, count: populationSize, order: &state.order.values, into: &state.costs.values)
        // g = Σₖ wₖ·σεₖ with wₖ = (c₊ₖ − c₋ₖ)/(nσ²), accumulated row by row in a fixed order,
        // so the result does not depend on any thread count.
        state.pairWeights.resize(pairs, filling: 0)
        for k in 0..<pairs {
            state.pairWeights.values[k] = (state.costs.values[2 * k] - state.costs.values[2 * k + 1]) / (Float(populationSize) * sigma * sigma)
        }
        state.gradient.resize(d, filling: 0)
        state.perturbations.values.withUnsafeBufferPointer { deltas in
            state.gradient.values.withUnsafeMutableBufferPointer { g in
                for j in 0..<d { g[j] = 0 }
                for k in 0..<pairs {
                    let w = state.pairWeights.values[k]
                    let row = k * d
                    for j in 0..<d { g[j] += w * deltas[row + j] }
                }
            }
        }
        if weightDecay > 0 {
            for j in 0..<d { state.gradient.values[j] += weightDecay * state.center[j] }
        }
        update.apply(&state.gradient.values, to: &state.center, state: &state.optimizer)
    }
}

extension OpenAIES {
    /// OpenAI-ES's parameters, with its center update's (`CenterUpdate.Parameters`).
    public enum Parameters {
        public static let populationSize = Parameter("populationSize", default: 50, .within(2...1_000_000), "n, even")
        public static let sigma = Parameter("sigma", default: Float(0.02), .within(1e-30...1e30), "fixed perturbation scale (the paper's)")
        public static let weightDecay = Parameter("weightDecay", default: Float(0), .within(0...1e6), "L2 coefficient added to g (the paper used 0.005)")
        public static let evaluateCenter = Parameter("evaluateCenter", default: true, .either, "also price the center")
        /// The center update left out of a specification.
        public static let update: CenterUpdate = .adam(learningRate: 0.01, .standard)
        public static let infos = [populationSize.info, sigma.info] + CenterUpdate.Parameters.infos(default: update)
            + [weightDecay.info, FitnessShaping.parameter.info, evaluateCenter.info]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(
            populationSize: try p.value(Parameters.populationSize), sigma: try p.value(Parameters.sigma),
            update: try CenterUpdate(parameters: p, default: Parameters.update), weightDecay: try p.value(Parameters.weightDecay),
            shaping: try FitnessShaping(parameters: p), evaluateCenter: try p.value(Parameters.evaluateCenter))
    }
}
