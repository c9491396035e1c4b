import WeightLabCore

/// Gradient descent with optional momentum (heavy ball), Nesterov momentum and weight decay,
/// following PyTorch's `torch.optim.SGD` algorithm box exactly. For update t = 1, 2, …:
///
///     g ← ∇f(w) + λw                                  (weight decay, if λ ≠ 0)
///     if μ ≠ 0:
///         b ← g                       when t = 1
///         b ← μb + (1 − τ)g           when t > 1     (τ: dampening)
///         g ← g + μb  if nesterov,  else  g ← b
///     w ← w − ηg
///
/// Sources: Polyak, "Some methods of speeding up the convergence of iteration methods"
/// (1964) for the heavy ball; Sutskever et al., "On the importance of initialization and
/// momentum in deep learning" (ICML 2013) for this form of Nesterov momentum; the PyTorch
/// documentation of `torch.optim.SGD` for the placement of decay, dampening and Nesterov.
///
/// Batch gradient descent (`gd`) is this rule on the full batch; stochastic gradient descent
/// is `sgd` on a problem whose batch size is 1; mini-batch SGD is `sgd` with any other batch
/// size. PyTorch gives the learning rate no default; WeightLab uses 0.01 (as Swift for
/// TensorFlow and Keras do).
public struct SGD: FirstOrderOptimizer {
    public let name: String
    public let settings: FirstOrderSettings
    /// The update rule (μ, τ, Nesterov), shared with the evolution strategies' `sgd` center update.
    public let rule: MomentumRule

    /// - Parameters:
    ///   - learningRate: η₀ > 0 (default 0.01; PyTorch requires it).
    ///   - momentum: μ ∈ [0, 1] (PyTorch's default 0).
    ///   - dampening: τ ∈ [0, 1] (default 0).
    ///   - nesterov: Nesterov momentum (default false).
    ///   - weightDecay: λ ≥ 0, added to the gradient (default 0).
    ///   - schedule: how η varies over the run (default constant).
    ///   - batch: mini-batches (default) or the full batch.
    ///   - name: the registry name reported (default: `gd`, `nesterov`, `momentum` or `sgd`).
    public init(
        learningRate: Float = FirstOrderSettings.Parameters.learningRate.defaultValue, momentum: Float = Parameters.momentum.defaultValue,
        dampening: Float = Parameters.dampening.defaultValue, nesterov: Bool = Parameters.nesterov.defaultValue,
        weightDecay: Float = 0, schedule: LearningRateSchedule = .constant, batch: GradientBatch = .miniBatch,
        name: String? = nil
    ) throws {
        let settings = try FirstOrderSettings(learningRate: learningRate, schedule: schedule, weightDecay: .coupled(weightDecay), batch: batch)
        try self.init(settings: settings, momentum: momentum, dampening: dampening, nesterov: nesterov, name: name)
    }

    init(settings: FirstOrderSettings, momentum: Float, dampening: Float, nesterov: Bool, name: String?) throws {
        self.rule = try MomentumRule(momentum: momentum, dampening: dampening, nesterov: nesterov)
        self.settings = settings
        self.name = name ?? (settings.batch == .full ? "gd" : nesterov ? "nesterov" : momentum > 0 ? "momentum" : "sgd")
    }
}

extension SGD {
    /// SGD's own parameters (PyTorch's defaults; the registry entries `momentum` and
    /// `nesterov` start from a momentum of 0.9, `gd` from the full batch).
    public enum Parameters {
        public static let momentum = MomentumRule.Parameters.momentum
        public static let dampening = MomentumRule.Parameters.dampening
        public static let nesterov = MomentumRule.Parameters.nesterov

        /// The declarations with the defaults of the registry entry `name`.
        static func forEntry(_ name: String) -> (momentum: Parameter<Float>, nesterov: Parameter<Bool>, batch: GradientBatch) {
            (momentum.withDefault(name == "momentum" || name == "nesterov" ? 0.9 : 0), nesterov.withDefault(name == "nesterov"),
             name == "gd" ? .full : .miniBatch)
        }

        /// Every parameter of the registry entry `name`.
        public static func infos(_ name: String) -> [ParameterInfo] {
            let entry = forEntry(name)
            return FirstOrderSettings.Parameters.infos(learningRate: FirstOrderSettings.Parameters.learningRate.defaultValue, batch: entry.batch)
                + [entry.momentum.info, dampening.info, entry.nesterov.info]
        }
    }

    /// Reads the parameters of the registry entry `name` (see `Parameters.infos`).
    public init(parameters p: ParameterReader, name: String) throws {
        let entry = Parameters.forEntry(name)
        let settings = try FirstOrderSettings(parameters: p, learningRate: FirstOrderSettings.Parameters.learningRate.defaultValue, batch: entry.batch)
        let momentum = try p.value(entry.momentum)
        let dampening = try p.value(Parameters.dampening)
        let nesterov = try p.value(entry.nesterov)
        do {
            try self.init(settings: settings, momentum: momentum, dampening: dampening, nesterov: nesterov, name: name)
        } catch let error as WeightLabError {
            throw WeightLabError(error.kind, "\(p.path): \(error.message)")
        }
    }
}
