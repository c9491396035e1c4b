import WeightLabCore

/// ClipUp for gradient training: a normalized gradient step with momentum, its length clipped
/// (Toklu et al., 2020, "ClipUp: A Simple and Powerful Optimizer for Distribution-based Policy
/// Evolution"; the rule is `ClipUpRule`, the one PGPE's center update runs). For t = 1, 2, …:
///
///     g ← ∇f(w) + λw                 (weight decay, if λ ≠ 0)
///     v ← μv + η · g/‖g‖
///     v ← v · maxSpeed/‖v‖   when ‖v‖ > maxSpeed
///     w ← w − v
///
/// Every step moves the weights by at most maxSpeed, however steep the loss. Defaults follow
/// the authors: maxSpeed = 2η, μ = 0.9; η = 0.01.
public struct ClipUp: FirstOrderOptimizer {
    public var name: String { "clipup" }
    public let settings: FirstOrderSettings
    /// The update rule.
    public let rule: ClipUpRule

    /// - Parameters:
    ///   - learningRate: η₀ > 0, the step size (default 0.01).
    ///   - maxSpeed: the largest step (default 2η₀).
    ///   - momentum: μ (default 0.9).
    public init(
        learningRate: Float = Parameters.learningRate.defaultValue, maxSpeed: Float? = nil,
        momentum: Float = ClipUpRule.Parameters.momentum.defaultValue, weightDecay: Float = 0,
        schedule: LearningRateSchedule = .constant, batch: GradientBatch = .miniBatch
    ) throws {
        settings = try FirstOrderSettings(learningRate: learningRate, schedule: schedule, weightDecay: .coupled(weightDecay), batch: batch)
        rule = try ClipUpRule(maxSpeed: maxSpeed ?? 2 * learningRate, momentum: momentum)
    }
}

extension ClipUp {
    /// ClipUp's parameters: the shared ones, with ClipUpRule's.
    public enum Parameters {
        public static let learningRate = FirstOrderSettings.Parameters.learningRate.withDefault(0.01)
        public static let infos = FirstOrderSettings.Parameters.infos(learningRate: learningRate.defaultValue)
            + [ClipUpRule.Parameters.maxSpeed.info, ClipUpRule.Parameters.momentum.info]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        settings = try FirstOrderSettings(parameters: p, learningRate: Parameters.learningRate.defaultValue)
        rule = try ClipUpRule(
            maxSpeed: try p.value(ClipUpRule.Parameters.maxSpeed) ?? 2 * settings.learningRate,
            momentum: try p.value(ClipUpRule.Parameters.momentum))
    }
}
