import Foundation
import WeightLabCore

/// CMA-ES with a full covariance matrix and active (negative-weight) covariance update, as in
/// Hansen's tutorial (arXiv:1604.00772, 2016, "The CMA Evolution Strategy: A Tutorial");
/// parameters in `CMAParameters`. For small problems (analytic functions, tiny networks): its
/// covariance is n×n and each eigendecomposition O(n³), so dimensions above
/// `maximumDimension` are refused — use `SeparableCMAES` for network-sized ones.
///
/// Per generation, with C = B·D²·Bᵀ and the λ individuals sorted best first:
///
///     zₖ ~ N(0, I),  yₖ = B·D·zₖ,  xₖ = m + σ·yₖ
///     ⟨y⟩ = Σ_{i≤μ} wᵢ y_{i:λ},   m ← m + c_m·σ·⟨y⟩
///     p_σ ← (1 − c_σ)p_σ + √(c_σ(2 − c_σ)μ_eff)·B·D⁻¹·Bᵀ⟨y⟩
///     p_c ← (1 − c_c)p_c + h_σ√(c_c(2 − c_c)μ_eff)·⟨y⟩
///     C ← (1 + c₁δ(h_σ) − c₁ − c_μΣwⱼ)·C + c₁p_c p_cᵀ + c_μ Σᵢ wᵢ°·y_{i:λ}y_{i:λ}ᵀ
///     σ ← σ·exp((c_σ/d_σ)(‖p_σ‖/E‖N(0, I)‖ − 1))
///
/// with wᵢ° = wᵢ for wᵢ ≥ 0 and wᵢ·n/‖zᵢ‖² otherwise, δ(h_σ) = (1 − h_σ)c_c(2 − c_c), and B, D
/// refreshed every max(1, ⌊1/(10n(c₁ + c_μ))⌋) generations. The distribution is kept in
/// double precision; the individuals are rounded to the Float32 weights the objective takes,
/// so the search stops (`finished`) once σ·max√Cᵢᵢ falls below 1e-8 of the mean's scale,
/// where Float32 individuals would all be equal.
///
/// With `evaluateCenter` the mean is priced too. Cost per generation: λ (+1) evaluations.
///
/// Search box: individuals are priced at their projection plus a penalty (`BoxHandling.clipWithPenalty`),
/// so the distribution learns from its own unrepaired draws.
public struct CMAES: CMAStrategy {
    /// The largest dimension a full covariance matrix is allowed for.
    public static let maximumDimension = 2000

    /// λ, σ₀ (nil: 0.3·(high − low) of the problem's box, pycma's advice for a start drawn in
    /// the box, else 0.3) and whether the mean is priced.
    public let settings: CMASettings

    public var name: String { "cma-es" }

    public init(settings: CMASettings) {
        self.settings = settings
    }

    public struct State: Codable, Sendable {
        let parameters: CMAParameters
        /// The mean m.
        public var mean: [Double]
        /// The step size σ.
        public var sigma: Double
        /// C, row-major n×n.
        public var covariance: [Double]
        /// B: the eigenvectors of C as columns, row-major.
        public var eigenvectors: [Double]
        /// D: the square roots of C's eigenvalues.
        public var scales: [Double]
        public var evolutionPath: [Double]
        public var conjugatePath: [Double]
        public var generation: Int
        public var eigenGeneration: Int
        /// Set when the distribution became non-finite.
        public var failure: String?
        var draws = Scratch<Double>()
        var steps = Scratch<Double>()
        var order = Scratch<Int>()
    }


    public func initialState(_ problem: Problem, from initial: [Float], rng: inout RandomStream) throws -> State {
        let n = problem.dimension
        guard n <= Self.maximumDimension else {
            throw WeightLabError(.unsupported, "cma-es keeps a full \(n)×\(n) covariance matrix; \(n) weights exceed its limit of \(Self.maximumDimension): use sep-cma-es")
        }
        var identity = [Double](repeating: 0, count: n * n)
        for i in 0..<n { identity[i * n + i] = 1 }
        let zeros = [Double](repeating: 0, count: n)
        return State(
            parameters: CMAParameters(dimension: n, lambda: samples(dimension: n), separable: false),
            mean: initial.map(Double.init), sigma: Double(settings.sigma ?? problem.stepDefault(share: 0.3, otherwise: 0.3)), covariance: identity, eigenvectors: identity,
            scales: [Double](repeating: 1, count: n), evolutionPath: zeros, conjugatePath: zeros,
            generation: 0, eigenGeneration: 0, failure: nil)
    }

    /// The covariance C, its eigenvectors B and the eigensolver's copy: 3 × d² doubles.
    public func stateParts(dimension: Int) -> [(String, Int?)] {
        [("strategy state", MemoryEstimate.bytes(3, 8, dimension, dimension))]
    }

    public func ask(_ state: inout State, into population: inout PopulationMatrix, rng: inout RandomStream) {
        let n = state.parameters.dimension
        let lambda = state.parameters.lambda
        state.draws.resize(lambda * n, filling: 0)
        state.steps.resize(lambda * n, filling: 0)
        for k in 0..<lambda {
            for j in 0..<n { state.draws.values[k * n + j] = rng.normalDouble() }
            for i in 0..<n {
                var y = 0.0
                for j in 0..<n { y += state.eigenvectors[i * n + j] * state.scales[j] * state.draws.values[k * n + j] }
                state.steps.values[k * n + i] = y
                population.values[k * n + i] = Float(state.mean[i] + state.sigma * y)
            }
        }
        if evaluateCenter {
            for i in 0..<n { population.values[lambda * n + i] = Float(state.mean[i]) }
        }
    }

    public func tell(_ state: inout State, population: inout PopulationMatrix, fitness: [Float]) {
        let p = state.parameters
        let n = p.dimension
        Fitness.sortIndices(fitness, count: p.lambda, into: &state.order.values)
        let order = state.order.values
        let y = state.steps.values
        let z = state.draws.values

        var yw = [Double](repeating: 0, count: n)
        for i in 0..<p.mu {
            let row = order[i] * n
            for j in 0..<n { yw[j] += p.weights[i] * y[row + j] }
        }
        for j in 0..<n { state.mean[j] += state.sigma * yw[j] }

        // C^(−1/2)⟨y⟩ = B·D⁻¹·Bᵀ⟨y⟩.
        var rotated = [Double](repeating: 0, count: n)
        for j in 0..<n {
            var s = 0.0
            for i in 0..<n { s += state.eigenvectors[i * n + j] * yw[i] }
            rotated[j] = s / state.scales[j]
        }
        let eigenvectors = state.eigenvectors
        let pathNorm = p.updateConjugatePath(&state.conjugatePath) { i in
            var s = 0.0
            for j in 0..<n { s += eigenvectors[i * n + j] * rotated[j] }
            return s
        }
        let rates = p.covarianceRates(pathNorm: pathNorm, generation: state.generation)
        for i in 0..<n { state.evolutionPath[i] = (1 - p.cc) * state.evolutionPath[i] + rates.path * yw[i] }

        let decay = 1 + p.c1 * rates.delta - p.c1 - p.cmu * p.weights.reduce(0, +)
        var rankWeights = [Double](repeating: 0, count: p.lambda)
        for i in 0..<p.lambda {
            let w = p.weights[i]
            if w >= 0 {
                rankWeights[i] = w
            } else {
                let row = order[i] * n
                var squared = 0.0
                for j in 0..<n { squared += z[row + j] * z[row + j] }
                rankWeights[i] = squared > 0 ? w * Double(n) / squared : 0
            }
        }
        for a in 0..<n {
            for b in a..<n {
                var rankMu = 0.0
                for i in 0..<p.lambda where rankWeights[i] != 0 {
                    let row = order[i] * n
                    rankMu += rankWeights[i] * y[row + a] * y[row + b]
                }
                let value = decay * state.covariance[a * n + b] + p.c1 * state.evolutionPath[a] * state.evolutionPath[b] + p.cmu * rankMu
                state.covariance[a * n + b] = value
                state.covariance[b * n + a] = value
            }
        }
        state.sigma *= p.stepSizeFactor(pathNorm: pathNorm)
        state.generation += 1

        let gap = max(1, Int(1 / (10 * Double(n) * (p.c1 + p.cmu))))
        if state.generation - state.eigenGeneration >= gap {
            state.eigenGeneration = state.generation
            var values = state.scales
            if SymmetricEigen.decompose(state.covariance, dimension: n, vectors: &state.eigenvectors, values: &values) {
                for j in 0..<n { state.scales[j] = max(values[j], 1e-300).squareRoot() }
            } else {
                state.failure = "the covariance matrix became non-finite"
            }
        }
        if !state.sigma.isFinite { state.failure = "the step size became non-finite" }
    }

    public func finished(_ state: State) -> String? {
        if let failure = state.failure { return failure }
        let n = state.parameters.dimension
        let widest = (0..<n).reduce(0.0) { max($0, state.covariance[$1 * n + $1]) }
        return CMAParameters.stopReason(sigma: state.sigma, widestVariance: widest, mean: state.mean)
    }
}

extension CMAES {
    /// CMA-ES's parameters.
    public enum Parameters {
        public static let populationSize = Parameter<Int?>("populationSize", absent: "4 + ⌊3 ln n⌋", .within(2...1_000_000), "individuals per generation (n: the dimension)")
        public static let sigma = Parameter<Float?>("sigma", absent: "0.3·(high − low) with a box, else 0.3", .within(1e-30...1e30), "σ₀, the starting step size (pycma's advice: 0.3 of the domain's width)")
        public static let evaluateCenter = Parameter("evaluateCenter", default: true, .either, "price the mean as one more individual, so it can be the incumbent")
        public static let infos = [populationSize.info, sigma.info, evaluateCenter.info]
    }

    public static var sigmaParameter: Parameter<Float?> { Parameters.sigma }
}
