import Foundation
import WeightLabCore

/// SNES, separable natural evolution strategies (Schaul, Glasmachers & Schmidhuber, 2011,
/// "High Dimensions and Heavy Tails for Natural Evolution Strategies", GECCO).
///
/// The search distribution is N(μ, diag(σ²)). Each generation draws sₖ ~ N(0, I) and prices
/// zₖ = μ + σ ⊙ sₖ; with NES utilities uₖ (see `FitnessShaping.utilities`, larger for
/// better individuals) the natural-gradient update is
///
///     μ ← μ + η_μ · σ ⊙ Σₖ uₖ sₖ
///     σ ← σ ⊙ exp(½η_σ · Σₖ uₖ (sₖ² − 1))
///
/// with the paper's defaults n = 4 + ⌊3 ln d⌋, η_μ = 1, η_σ = (3 + ln d)/(5√d). The center's
/// step is `update` (one of Core's rules, as for OpenAI-ES and PGPE) descending along
/// g = −σ ⊙ Σₖ uₖ sₖ; the default, plain gradient descent at η_μ = 1, is the paper's update.
/// Its cost per generation is linear in d, which is why it scales to network-sized problems.
/// With `evaluateCenter` μ is priced too. Cost per generation: n (+1) evaluations.
///
/// Search box: individuals are priced at their projection plus a penalty (`BoxHandling.clipWithPenalty`),
/// so the distribution learns from its own unrepaired draws.
public struct SNES: CenterPricedStrategy {
    /// Sampled individuals n (≥ 2); nil for 4 + ⌊3 ln d⌋.
    public var populationSize: Int?
    /// Starting σ of every weight; nil for 0.3·(high − low) of the problem's box, else 0.05 (scaled for network weights).
    public var sigma: Float?
    /// How μ follows the natural gradient. Default plain gradient descent (`sgd`, no momentum) at η_μ = 1.
    public var update: CenterUpdate
    /// η_σ; nil for (3 + ln d)/(5√d).
    public var sigmaLearningRate: Float?
    /// Also price the center each generation. Default true.
    public var evaluateCenter: Bool

    public var name: String { "snes" }

    public init(
        populationSize: Int? = nil, sigma: Float? = nil, update: CenterUpdate = Parameters.update,
        sigmaLearningRate: Float? = nil, evaluateCenter: Bool = Parameters.evaluateCenter.defaultValue
    ) throws {
        self.populationSize = try Parameters.populationSize.checked(populationSize)
        self.sigma = try Parameters.sigma.checked(sigma)
        try update.validate()
        self.update = update
        self.sigmaLearningRate = try Parameters.sigmaLearningRate.checked(sigmaLearningRate)
        self.evaluateCenter = evaluateCenter
    }

    /// The sampled individuals per generation for `dimension` weights: the default is CMA-ES's.
    public func samples(dimension: Int) -> Int {
        populationSize ?? CMAParameters.defaultLambda(dimension: dimension)
    }

    public struct State: Codable, Sendable {
        /// The center μ.
        public var center: [Float]
        /// The standard deviation of every weight.
        public var sigmas: [Float]
        /// The center update's buffers.
        public var optimizer = CenterUpdate.State()
        /// The standard-normal draws sₖ of the generation in flight.
        var draws = Scratch<Float>()
        var costs = Scratch<Float>()
        var order = Scratch<Int>()
        var gradient = Scratch<Float>()
        var sigmaGradient = Scratch<Float>()
    }

    /// The draws of the generation in flight (K × D floats) and a few vectors of D (8 doubles per weight).
    public func stateParts(dimension: Int) -> [(String, Int?)] {
        drawnStateParts("draws", rows: samples(dimension: dimension), dimension: dimension)
    }

    public func initialState(_ problem: Problem, from initial: [Float], rng: inout RandomStream) throws -> State {
        State(center: initial, sigmas: sigma.map { [Float](repeating: $0, count: initial.count) }
            ?? problem.stepDefaults(share: 0.3, layerShare: Parameters.layerShare, otherwise: 0.05))
    }

    public func ask(_ state: inout State, into population: inout PopulationMatrix, rng: inout RandomStream) {
        DiagonalSampling.sample(
            around: state.center, scales: state.sigmas, count: samples(dimension: population.dimension), evaluateCenter: evaluateCenter,
            draws: &state.draws.values, into: &population, rng: &rng)
    }

    public func tell(_ state: inout State, population: inout PopulationMatrix, fitness: [Float]) {
        let d = population.dimension
        let n = samples(dimension: d)
        // The shaped costs are −uₖ.
        FitnessShaping.utilities.costs(of: fitness, count: n, order: &state.order.values, into: &state.costs.values)
        let etaSigma = sigmaLearningRate ?? Float((3 + log(Double(d))) / (5 * Double(d).squareRoot()))
        state.gradient.resize(d, filling: 0)
        state.sigmaGradient.resize(d, filling: 0)
        state.draws.values.withUnsafeBufferPointer { draws in
            state.costs.values.withUnsafeBufferPointer { costs in
                state.gradient.values.withUnsafeMutableBufferPointer { g in
                    state.sigmaGradient.values.withUnsafeMutableBufferPointer { gs in
                        for j in 0..<d {
                            g[j] = 0
                            gs[j] = 0
                        }
                        // Σₖ cₖsₖ = −Σₖ uₖsₖ and Σₖ cₖ(sₖ² − 1), row by row in a fixed order.
                        for k in 0..<n {
                            let c = costs[k]
                            let row = k * d
                            for j in 0..<d {
                                let s = draws[row + j]
                                g[j] += c * s
                                gs[j] -= c * (s * s - 1)
                            }
                        }
                        for j in 0..<d {
                            g[j] *= state.sigmas[j]
                            state.sigmas[j] *= expf(0.5 * etaSigma * gs[j])
                        }
                    }
                }
            }
        }
        update.apply(&state.gradient.values, to: &state.center, state: &state.optimizer)
    }
}

extension SNES {
    /// SNES's parameters, with its center update's (`CenterUpdate.Parameters`).
    public enum Parameters {
        public static let populationSize = Parameter<Int?>("populationSize", absent: "4 + ⌊3 ln n⌋", .within(2...1_000_000), "samples per generation")
        public static let sigma = Parameter<Float?>("sigma", absent: "0.3·(high − low) with a box, 0.2 of each weight's initializer scale on a network, else 0.05", .within(1e-30...1e30), "starting σ of every weight")
        /// σ₀ on a network, in units of each weight's initializer scale (docs/evolutionary.md:
        /// 0.7718 on the 784-32-10 benchmark, against 0.7492 for σ₀ = 0.05 and 0.7811 tuned).
        static let layerShare: Float = 0.2
        public static let sigmaLearningRate = Parameter<Float?>("sigmaLearningRate", absent: "(3 + ln n)/(5√n)", .within(0...100), "η_σ (the paper's)")
        public static let evaluateCenter = Parameter("evaluateCenter", default: true, .either, "also price the center")
        /// The center update left out of a specification.
        public static let update: CenterUpdate = .sgd(learningRate: 1, .heavyBall(0))
        public static let infos = [populationSize.info, sigma.info] + CenterUpdate.Parameters.infos(default: update)
            + [sigmaLearningRate.info, evaluateCenter.info]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(
            populationSize: try p.value(Parameters.populationSize), sigma: try p.value(Parameters.sigma),
            update: try CenterUpdate(parameters: p, default: Parameters.update), sigmaLearningRate: try p.value(Parameters.sigmaLearningRate),
            evaluateCenter: try p.value(Parameters.evaluateCenter))
    }
}
