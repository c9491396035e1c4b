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
    /// μ ∈ [0, 1]; 0 is plain gradient descent.
    public let momentum: Float
    /// τ ∈ [0, 1]: the share of the gradient left out of the momentum buffer.
    public let dampening: Float
    /// Nesterov's look-ahead form of momentum (needs μ > 0 and τ = 0, as in PyTorch).
    public let nesterov: Bool

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
        try Parameters.momentum.check(momentum)
        try Parameters.dampening.check(dampening)
        if nesterov && (momentum == 0 || dampening != 0) {
            throw WeightLabError.parameter("nesterov", nesterov, allowed: "only with momentum > 0 and dampening = 0 (got momentum \(momentum), dampening \(dampening))")
        }
        self.settings = settings
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.name = name ?? (settings.batch == .full ? "gd" : nesterov ? "nesterov" : momentum > 0 ? "momentum" : "sgd")
    }

    /// The momentum buffer b (empty without momentum).
    public func makeBuffers(dimension: Int) -> [Float] {
        momentum == 0 ? [] : [Float](repeating: 0, count: dimension)
    }

    public func update(
        weights w: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeMutableBufferPointer<Float>,
        buffers: inout [Float], learningRate eta: Float, step t: Int
    ) {
        // The flags are tested outside the loops: branch-free loop bodies vectorize.
        guard momentum != 0 else {
            Parallelism.forEachRange(w.count, with: (w, g, eta)) { arguments, range in
                let (w, g, eta) = arguments
                for i in range { w[i] -= eta * g[i] }
            }
            return
        }
        buffers.withUnsafeMutableBufferPointer { b in
            let rule = (mu: momentum, keep: 1 - dampening, eta: eta, first: t == 1, nesterov: nesterov)
            Parallelism.forEachRange(w.count, with: (w, g, b, rule)) { arguments, range in
                let (w, g, b, rule) = arguments
                let (mu, keep, eta) = (rule.mu, rule.keep, rule.eta)
                if rule.first {
                    for i in range { b[i] = g[i] }
                } else {
                    for i in range { b[i] = mu * b[i] + keep * g[i] }
                }
                if rule.nesterov {
                    for i in range { w[i] -= eta * (g[i] + mu * b[i]) }
                } else {
                    for i in range { w[i] -= eta * b[i] }
                }
            }
        }
    }
}

extension SGD {
    /// SGD's own parameters (PyTorch's defaults; the registry entries `momentum` and
    /// `nesterov` start from a momentum of 0.9, `gd` from the full batch).
    public enum Parameters {
        public static let momentum = Parameter("momentum", default: Float(0), .unit, "μ, the momentum; 0 is plain gradient descent")
        public static let dampening = Parameter("dampening", default: Float(0), .unit, "τ, the share of the gradient left out of the momentum buffer")
        public static let nesterov = Parameter("nesterov", default: false, .either, "Nesterov's look-ahead momentum (needs momentum > 0, dampening 0)")

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
            throw WeightLabError(error.kind, "\(p.spec.path): \(error.message)")
        }
    }
}
