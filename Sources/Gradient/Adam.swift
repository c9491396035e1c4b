import Foundation
import WeightLabCore

/// Adam: momentum on the gradient scaled by a running root mean square, both bias-corrected,
/// with optional AMSGrad, following PyTorch's `torch.optim.Adam` algorithm box. With
/// m = v = v_max = 0, for t = 1, 2, …:
///
///     g ← ∇f(w) + λw                           (coupled weight decay, if λ ≠ 0)
///     m ← β₁m + (1 − β₁)g
///     v ← β₂v + (1 − β₂)g²
///     m̂ ← m / (1 − β₁ᵗ)
///     amsgrad:  v_max ← max(v_max, v),  v̂ ← v_max / (1 − β₂ᵗ)
///     else:     v̂ ← v / (1 − β₂ᵗ)
///     w ← w − η · m̂ / (√v̂ + ε)
///
/// Sources: Kingma & Ba, "Adam: A Method for Stochastic Optimization" (ICLR 2015); Reddi,
/// Kale & Kumar, "On the Convergence of Adam and Beyond" (ICLR 2018) for AMSGrad. Defaults
/// are PyTorch's (and the paper's): η = 0.001, β = (0.9, 0.999), ε = 1e-8, λ = 0.
/// For decoupled weight decay use `AdamW`.
public struct Adam: FirstOrderOptimizer {
    /// The moment estimates (`AdamRule`'s).
    public typealias Buffers = AdamRule.Buffers

    public let name: String
    public let settings: FirstOrderSettings
    /// The update rule, shared with OpenAI-ES's center update.
    public let rule: AdamRule

    /// - Parameters:
    ///   - learningRate: η₀ > 0 (default 0.001).
    ///   - beta1, beta2: decay rates of the moments, in [0, 1) (default 0.9, 0.999).
    ///   - epsilon: ε ≥ 0 (default 1e-8).
    ///   - weightDecay: λ ≥ 0, added to the gradient (default 0).
    ///   - amsgrad: use the running maximum of v (default false).
    public init(
        learningRate: Float = Parameters.learningRate.defaultValue, beta1: Float = AdamRule.Parameters.beta1.defaultValue, beta2: Float = AdamRule.Parameters.beta2.defaultValue,
        epsilon: Float = AdamRule.Parameters.epsilon.defaultValue, weightDecay: Float = 0, amsgrad: Bool = AdamRule.Parameters.amsgrad.defaultValue,
        schedule: LearningRateSchedule = .constant, batch: GradientBatch = .miniBatch
    ) throws {
        let settings = try FirstOrderSettings(learningRate: learningRate, schedule: schedule, weightDecay: .coupled(weightDecay), batch: batch)
        self.init(settings: settings, rule: try AdamRule(beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad), name: "adam")
    }

    init(settings: FirstOrderSettings, rule: AdamRule, name: String) {
        self.settings = settings
        self.rule = rule
        self.name = name
    }
}

extension Adam {
    /// Adam's parameters: the shared ones with Adam's default η, and `AdamRule`'s.
    public enum Parameters {
        /// η₀'s default.
        public static let learningRate = FirstOrderSettings.Parameters.learningRate.withDefault(Float(0.001))
        public static let infos = FirstOrderSettings.Parameters.infos(learningRate: learningRate.defaultValue) + AdamRule.Parameters.infos
    }

    /// Reads `Parameters.infos`; with `decoupled` the weight decay is AdamW's (default `weightDecay`).
    init(parameters p: ParameterReader, decoupled: Bool, weightDecay: Float, name: String) throws {
        let settings = try FirstOrderSettings(parameters: p, learningRate: Parameters.learningRate.defaultValue, weightDecay: weightDecay, decoupled: decoupled)
        self.init(settings: settings, rule: try AdamRule(parameters: p), name: name)
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(parameters: p, decoupled: false, weightDecay: 0, name: "adam")
    }
}
