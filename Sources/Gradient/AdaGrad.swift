import WeightLabCore

/// AdaGrad: per-weight learning rates that shrink with the sum of squared gradients, following
/// PyTorch's `torch.optim.Adagrad` algorithm box. With s₀ = initialAccumulator, for t = 1, 2, …:
///
///     g ← ∇f(w) + λw                    (weight decay, if λ ≠ 0)
///     η̃ ← η / (1 + (t − 1)·lrDecay)
///     s ← s + g²
///     w ← w − η̃ · g / (√s + ε)
///
/// Source: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and
/// Stochastic Optimization" (JMLR 2011). Defaults are PyTorch's: η = 0.01, lrDecay = 0,
/// ε = 1e-10, initialAccumulator = 0. (Optax's `adagrad` starts s at 0.1 and uses ε = 1e-7.)
/// `lrDecay` multiplies with any schedule.
public struct AdaGrad: FirstOrderOptimizer {
    public var name: String { "adagrad" }
    public let settings: FirstOrderSettings
    /// The inverse-time decay of the learning rate per update.
    public let learningRateDecay: Float
    /// ε, added to √s.
    public let epsilon: Float
    /// s₀, the starting value of every squared-gradient sum.
    public let initialAccumulator: Float

    public init(
        learningRate: Float = FirstOrderSettings.Parameters.learningRate.defaultValue, learningRateDecay: Float = Parameters.learningRateDecay.defaultValue,
        weightDecay: Float = 0, initialAccumulator: Float = Parameters.initialAccumulator.defaultValue, epsilon: Float = Parameters.epsilon.defaultValue,
        schedule: LearningRateSchedule = .constant, batch: GradientBatch = .miniBatch
    ) throws {
        let settings = try FirstOrderSettings(learningRate: learningRate, schedule: schedule, weightDecay: .coupled(weightDecay), batch: batch)
        try self.init(settings: settings, learningRateDecay: learningRateDecay, initialAccumulator: initialAccumulator, epsilon: epsilon)
    }

    init(settings: FirstOrderSettings, learningRateDecay: Float, initialAccumulator: Float, epsilon: Float) throws {
        try Parameters.learningRateDecay.check(learningRateDecay)
        try Parameters.initialAccumulator.check(initialAccumulator)
        try Parameters.epsilon.check(epsilon)
        self.settings = settings
        self.learningRateDecay = learningRateDecay
        self.initialAccumulator = initialAccumulator
        self.epsilon = epsilon
    }

    /// The squared-gradient sums s.
    public func makeBuffers(dimension: Int) -> [Float] {
        [Float](repeating: initialAccumulator, count: dimension)
    }

    public func update(
        weights w: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeMutableBufferPointer<Float>,
        buffers: inout [Float], learningRate eta: Float, step t: Int
    ) {
        let rate = eta / (1 + Float(t - 1) * learningRateDecay)
        let eps = epsilon
        buffers.withUnsafeMutableBufferPointer { s in
            Parallelism.forEachRange(w.count, with: (w, g, s, rate, eps)) { arguments, range in
                let (w, g, s, rate, eps) = arguments
                for i in range {
                    s[i] += g[i] * g[i]
                    w[i] -= rate * g[i] / (squareRoot(ofNonNegative: s[i]) + eps)
                }
            }
        }
    }
}

extension AdaGrad {
    /// AdaGrad's own parameters (PyTorch's defaults).
    public enum Parameters {
        public static let learningRateDecay = Parameter("lrDecay", default: Float(0), .nonNegative, "inverse-time decay of η per update")
        public static let initialAccumulator = Parameter("initialAccumulator", default: Float(0), .nonNegative, "s₀, the starting squared-gradient sum")
        public static let epsilon = Parameter("epsilon", default: Float(1e-10), .nonNegative, "ε, added to √s")
        public static let infos = FirstOrderSettings.Parameters.infos(learningRate: 0.01)
            + [learningRateDecay.info, initialAccumulator.info, epsilon.info]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(
            settings: try FirstOrderSettings(parameters: p, learningRate: 0.01),
            learningRateDecay: try p.value(Parameters.learningRateDecay),
            initialAccumulator: try p.value(Parameters.initialAccumulator),
            epsilon: try p.value(Parameters.epsilon))
    }
}
