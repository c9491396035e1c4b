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
        learningRate: Float = 0.01, alpha: Float = Parameters.alpha.defaultValue, epsilon: Float = Parameters.epsilon.defaultValue,
        weightDecay: Float = 0, momentum: Float = Parameters.momentum.defaultValue, centered: Bool = Parameters.centered.defaultValue,
        schedule: LearningRateSchedule = .constant, batch: GradientBatch = .miniBatch
    ) throws {
        let settings = try FirstOrderSettings(learningRate: learningRate, schedule: schedule, weightDecay: .coupled(weightDecay), batch: batch)
        try self.init(settings: settings, alpha: alpha, epsilon: epsilon, momentum: momentum, centered: centered)
    }

    init(settings: FirstOrderSettings, alpha: Float, epsilon: Float, momentum: Float, centered: Bool) throws {
        self.rule = try RMSpropRule(alpha: alpha, epsilon: epsilon, momentum: momentum, centered: centered)
        self.settings = settings
    }
}

extension RMSprop {
    /// RMSprop's own parameters (PyTorch's defaults).
    public enum Parameters {
        public static let alpha = RMSpropRule.Parameters.alpha
        public static let epsilon = RMSpropRule.Parameters.epsilon
        public static let momentum = RMSpropRule.Parameters.momentum
        public static let centered = RMSpropRule.Parameters.centered
        public static let infos = FirstOrderSettings.Parameters.infos(learningRate: 0.01) + [alpha.info, epsilon.info, momentum.info, centered.info]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(
            settings: try FirstOrderSettings(parameters: p, learningRate: 0.01),
            alpha: try p.value(Parameters.alpha),
            epsilon: try p.value(Parameters.epsilon),
            momentum: try p.value(Parameters.momentum),
            centered: try p.value(Parameters.centered))
    }
}
