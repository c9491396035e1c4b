import Foundation
import WeightLabCore

/// sep-CMA-ES (Ros & Hansen, 2008, "A Simple Modification in CMA-ES Achieving Linear Time and
/// Space Complexity", PPSN X): CMA-ES restricted to a diagonal covariance matrix, so a
/// generation costs O(λn) time and the state O(n) memory — the CMA-ES that fits
/// network-sized problems. Parameters as in `CMAParameters` with the separable learning
/// rates c₁, c_μ multiplied by (n + 2)/3.
///
/// Per generation, with c the diagonal of C and the λ individuals sorted best first:
///
///     zₖ ~ N(0, I),  xₖ = m + σ·√c ⊙ zₖ
///     ⟨z⟩ = Σ_{i≤μ} wᵢ z_{i:λ},  ⟨y⟩ = √c ⊙ ⟨z⟩,  m ← m + σ⟨y⟩
///     p_σ ← (1 − c_σ)p_σ + √(c_σ(2 − c_σ)μ_eff)·⟨z⟩
///     p_c ← (1 − c_c)p_c + h_σ√(c_c(2 − c_c)μ_eff)·⟨y⟩
///     c ← (1 + c₁δ(h_σ) − c₁ − c_μ)·c + c₁p_c² + c_μ·c ⊙ Σ_{i≤μ} wᵢ z_{i:λ}²
///     σ ← σ·exp((c_σ/d_σ)(‖p_σ‖/E‖N(0, I)‖ − 1))
///
/// The mean, c and the paths are kept in double precision. With `evaluateCenter` the mean
/// is priced too. Cost per generation: λ (+1) evaluations.
///
/// Search box: individuals are priced at their projection plus a penalty (`BoxHandling.clipWithPenalty`),
/// so the distribution learns from its own unrepaired draws.
public struct SeparableCMAES: CMAStrategy {
    /// λ, σ₀ (nil: 0.3·(high − low) of the problem's box, else 0.05, scaled for network weights)
    /// and whether the mean is priced.
    public let settings: CMASettings

    public var name: String { "sep-cma-es" }

    public init(settings: CMASettings) {
        self.settings = settings
    }

    public struct State: Codable, Sendable {
        let parameters: CMAParameters
        /// The mean m.
        public var mean: [Double]
        /// The step size σ.
        public var sigma: Double
        /// The diagonal c of the covariance matrix.
        public var variances: [Double]
        public var evolutionPath: [Double]
        public var conjugatePath: [Double]
        public var generation: Int
        var draws = Scratch<Float>()
        var order = Scratch<Int>()
        var weightedDraw = Scratch<Double>()
        var weightedSquares = Scratch<Double>()
        var center = Scratch<Float>()
        var scales = Scratch<Float>()
    }

    /// The draws of the generation in flight (K × D floats) and a few vectors of D (8 doubles per weight).
    public func stateParts(dimension: Int) -> [(String, Int?)] {
        drawnStateParts("draws", rows: samples(dimension: dimension), dimension: dimension)
    }

    public func initialState(_ problem: Problem, from initial: [Float], rng: inout RandomStream) throws -> State {
        let n = problem.dimension
        let zeros = [Double](repeating: 0, count: n)
        // On a network, σ₀ = layerShare and the variances start at each weight's scale², so
        // σ₀√cⱼ is layerShare of weight j's initializer scale.
        let scales = settings.sigma == nil ? problem.networkScales : nil
        return State(
            parameters: CMAParameters(dimension: n, lambda: samples(dimension: n), separable: true),
            mean: initial.map(Double.init),
            sigma: Double(scales == nil ? settings.sigma ?? problem.stepDefault(share: 0.3, otherwise: 0.05) : Parameters.layerShare),
            variances: scales.map { $0.map { Double($0) * Double($0) } } ?? [Double](repeating: 1, count: n),
            evolutionPath: zeros, conjugatePath: zeros, generation: 0)
    }

    public func ask(_ state: inout State, into population: inout PopulationMatrix, rng: inout RandomStream) {
        let n = state.parameters.dimension
        let lambda = state.parameters.lambda
        // Per generation, in Float: the mean and σ·√cⱼ, so sampling is one multiply-add per weight.
        state.center.resize(n, filling: 0)
        state.scales.resize(n, filling: 0)
        for j in 0..<n {
            state.center.values[j] = Float(state.mean[j])
            state.scales.values[j] = Float(state.sigma * state.variances[j].squareRoot())
        }
        DiagonalSampling.sample(
            around: state.center.values, scales: state.scales.values, count: lambda, evaluateCenter: evaluateCenter,
            draws: &state.draws.values, into: &population, rng: &rng)
    }

    public func tell(_ state: inout State, population: inout PopulationMatrix, fitness: [Float]) {
        let p = state.parameters
        let n = p.dimension
        Fitness.sortIndices(fitness, count: p.lambda, into: &state.order.values)
        state.weightedDraw.resize(n, filling: 0)
        state.weightedSquares.resize(n, filling: 0)
        for j in 0..<n {
            state.weightedDraw.values[j] = 0
            state.weightedSquares.values[j] = 0
        }
        state.draws.values.withUnsafeBufferPointer { z in
            state.weightedDraw.values.withUnsafeMutableBufferPointer { zw in
                state.weightedSquares.values.withUnsafeMutableBufferPointer { zz in
                    for i in 0..<p.mu {
                        let w = p.weights[i]
                        let row = state.order.values[i] * n
                        for j in 0..<n {
                            let v = Double(z[row + j])
                            zw[j] += w * v
                            zz[j] += w * v * v
                        }
                    }
                }
            }
        }
        let weightedDraw = state.weightedDraw.values
        let pathNorm = p.updateConjugatePath(&state.conjugatePath) { weightedDraw[$0] }
        let rates = p.covarianceRates(pathNorm: pathNorm, generation: state.generation)
        let decay = 1 + p.c1 * rates.delta - p.c1 - p.cmu
        for j in 0..<n {
            let deviation = state.variances[j].squareRoot()
            let yw = deviation * weightedDraw[j]
            state.mean[j] += state.sigma * yw
            state.evolutionPath[j] = (1 - p.cc) * state.evolutionPath[j] + rates.path * yw
            state.variances[j] = decay * state.variances[j] + p.c1 * state.evolutionPath[j] * state.evolutionPath[j]
                + p.cmu * state.variances[j] * state.weightedSquares.values[j]
        }
        state.sigma *= p.stepSizeFactor(pathNorm: pathNorm)
        state.generation += 1
    }

    public func finished(_ state: State) -> String? {
        let widest = state.variances.allSatisfy(\.isFinite) ? state.variances.reduce(0, max) : .nan
        return CMAParameters.stopReason(sigma: state.sigma, widestVariance: widest, mean: state.mean)
    }
}

extension SeparableCMAES {
    /// sep-CMA-ES's parameters: CMA-ES's, with a σ₀ that follows each weight's initializer scale on a network.
    public enum Parameters {
        public static let populationSize = CMAES.Parameters.populationSize
        public static let sigma = Parameter<Float?>("sigma", absent: "0.3·(high − low) with a box, 0.2 with variances at each weight's initializer scale² on a network, else 0.05", .within(1e-30...1e30), "σ₀, the starting step size")
        /// σ₀ on a network, in units of each weight's initializer scale (as SNES's).
        static let layerShare: Float = 0.2
        public static let evaluateCenter = CMAES.Parameters.evaluateCenter
        public static let infos = [populationSize.info, sigma.info, evaluateCenter.info]
    }

    public static var sigmaParameter: Parameter<Float?> { Parameters.sigma }
}
