import WeightLabCore

/// RMSprop: the gradient divided by a running root mean square of recent gradients, with
/// optional momentum and the centered variant, following PyTorch's `torch.optim.RMSprop`
/// algorithm box. With v = b = ḡ = 0, for t = 1, 2, …:
///
///     g ← ∇f(w) + λw                            (weight decay, if λ ≠ 0)
///     v ← αv + (1 − α)g²
///     ṽ ← v
///     if centered:  ḡ ← αḡ + (1 − α)g,  ṽ ← ṽ − ḡ²
///     if μ > 0:     b ← μb + g / (√ṽ + ε),  w ← w − ηb
///     else:         w ← w − η · g / (√ṽ + ε)
///
/// Sources: Tieleman & Hinton, COURSERA "Neural Networks for Machine Learning", lecture 6.5
/// (2012); Graves, "Generating Sequences With Recurrent Neural Networks" (2013) for the
/// centered form. Defaults are PyTorch's: η = 0.01, α = 0.99, ε = 1e-8, μ = 0, not centered.
/// (Optax and Keras use η = 0.001, α = 0.9; Optax puts ε inside the square root.)
public struct RMSprop: FirstOrderOptimizer {
    /// The running averages (`RMSpropRule`'s).
    public typealias Buffers = RMSpropRule.Buffers

    public var name: String { "rmsprop" }
    public let settings: FirstOrderSettings
    /// The update rule.
    public let rule: RMSpropRule

    public init(
        learningRate: Float = Parameters.learningRate.defaultValue, alpha: Float = RMSpropRule.Parameters.alpha.defaultValue, epsilon: Float = RMSpropRule.Parameters.epsilon.defaultValue,
        weightDecay: Float = 0, momentum: Float = RMSpropRule.Parameters.momentum.defaultValue, centered: Bool = RMSpropRule.Parameters.centered.defaultValue,
        schedule: LearningRateSchedule = .constant, batch: GradientBatch = .miniBatch
    ) throws {
        settings = try FirstOrderSettings(learningRate: learningRate, schedule: schedule, weightDecay: .coupled(weightDecay), batch: batch)
        rule = try RMSpropRule(alpha: alpha, epsilon: epsilon, momentum: momentum, centered: centered)
    }
}

extension RMSprop {
    /// RMSprop's parameters: the shared ones with RMSprop's default η, and `RMSpropRule`'s.
    public enum Parameters {
        /// η₀'s default.
        public static let learningRate = FirstOrderSettings.Parameters.learningRate.withDefault(Float(0.01))
        public static let infos = FirstOrderSettings.Parameters.infos(learningRate: learningRate.defaultValue) + RMSpropRule.Parameters.infos
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        settings = try FirstOrderSettings(parameters: p, learningRate: Parameters.learningRate.defaultValue)
        rule = try RMSpropRule(parameters: p)
    }
}
