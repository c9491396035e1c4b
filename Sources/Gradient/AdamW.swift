import WeightLabCore

/// AdamW: Adam with decoupled weight decay, following PyTorch's `torch.optim.AdamW` algorithm
/// box. For t = 1, 2, …:
///
///     w ← w − ηλw                  (decay the weights directly, with the step's rate η)
///     then Adam's update on the plain gradient g = ∇f(w) (see `Adam`)
///
/// Because the decay never enters m and v, it is not rescaled by the adaptive denominator:
/// every weight shrinks by the same factor 1 − ηλ per step. Source: Loshchilov & Hutter,
/// "Decoupled Weight Decay Regularization" (ICLR 2019). Defaults are PyTorch's: η = 0.001,
/// β = (0.9, 0.999), ε = 1e-8, λ = 0.01. (Optax's `adamw` uses λ = 1e-4 and applies the decay
/// after the Adam direction; the result is the same.)
public struct AdamW: FirstOrderOptimizer {
    /// The Adam rule this optimizer runs, configured with decoupled decay.
    public let adam: Adam

    public var name: String { adam.name }
    public var settings: FirstOrderSettings { adam.settings }

    public init(
        learningRate: Float = Adam.Parameters.learningRate.defaultValue, beta1: Float = AdamRule.Parameters.beta1.defaultValue, beta2: Float = AdamRule.Parameters.beta2.defaultValue,
        epsilon: Float = AdamRule.Parameters.epsilon.defaultValue, weightDecay: Float = AdamW.weightDecay, amsgrad: Bool = AdamRule.Parameters.amsgrad.defaultValue,
        schedule: LearningRateSchedule = .constant, batch: GradientBatch = .miniBatch
    ) throws {
        let settings = try FirstOrderSettings(learningRate: learningRate, schedule: schedule, weightDecay: .decoupled(weightDecay), batch: batch)
        adam = Adam(settings: settings, rule: try AdamRule(beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad), name: "adamw")
    }

    /// λ's default (PyTorch's).
    public static let weightDecay: Float = 0.01

    /// AdamW's parameters: Adam's, with the weight decay decoupled.
    public static let parameterInfos = FirstOrderSettings.Parameters.infos(learningRate: Adam.Parameters.learningRate.defaultValue, weightDecay: weightDecay, decoupled: true)
        + AdamRule.Parameters.infos

    /// Reads `parameterInfos`.
    public init(parameters p: ParameterReader) throws {
        adam = try Adam(parameters: p, decoupled: true, weightDecay: Self.weightDecay, name: "adamw")
    }

    /// Adam's rule; the decoupled decay is in `settings`.
    public var rule: AdamRule { adam.rule }
}
