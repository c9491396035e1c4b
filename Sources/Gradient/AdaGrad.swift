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
    /// The update rule.
    public let rule: AdaGradRule

    public init(
        learningRate: Float = Parameters.learningRate.defaultValue, learningRateDecay: Float = AdaGradRule.Parameters.learningRateDecay.defaultValue,
        weightDecay: Float = 0, initialAccumulator: Float = AdaGradRule.Parameters.initialAccumulator.defaultValue,
        epsilon: Float = AdaGradRule.Parameters.epsilon.defaultValue, schedule: LearningRateSchedule = .constant, batch: GradientBatch = .miniBatch
    ) throws {
        settings = try FirstOrderSettings(learningRate: learningRate, schedule: schedule, weightDecay: .coupled(weightDecay), batch: batch)
        rule = try AdaGradRule(learningRateDecay: learningRateDecay, initialAccumulator: initialAccumulator, epsilon: epsilon)
    }
}

extension AdaGrad {
    /// AdaGrad's parameters: the shared ones with AdaGrad's default η, and `AdaGradRule`'s.
    public enum Parameters {
        /// η₀'s default.
        public static let learningRate = FirstOrderSettings.Parameters.learningRate.withDefault(Float(0.01))
        public static let infos = FirstOrderSettings.Parameters.infos(learningRate: learningRate.defaultValue) + AdaGradRule.Parameters.infos
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        settings = try FirstOrderSettings(parameters: p, learningRate: Parameters.learningRate.defaultValue)
        rule = try AdaGradRule(parameters: p)
    }
}
