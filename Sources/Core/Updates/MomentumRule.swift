/// Gradient descent with optional heavy-ball or Nesterov momentum, PyTorch's `torch.optim.SGD`
/// form. For update t = 1, 2, …:
///
///     if μ ≠ 0:
///         b ← g                       when t = 1
///         b ← μb + (1 − τ)g           when t > 1     (τ: dampening)
///         g ← g + μb  if nesterov,  else  g ← b
///     w ← w − ηg
///
/// Sources: Polyak (1964) for the heavy ball; Sutskever et al. (ICML 2013) for this form of
/// Nesterov momentum; the PyTorch documentation of `torch.optim.SGD`.
public struct MomentumRule: UpdateRule {
    /// μ ∈ [0, 1]; 0 is plain gradient descent.
    public let momentum: Float
    /// τ ∈ [0, 1]: the share of the gradient left out of the momentum buffer.
    public let dampening: Float
    /// Nesterov's look-ahead form (needs μ > 0 and τ = 0, as in PyTorch).
    public let nesterov: Bool

    /// The rule's parameters (PyTorch's defaults).
    public enum Parameters {
        public static let momentum = Parameter("momentum", default: Float(0), .unit, "μ, the momentum; 0 is plain gradient descent")
        public static let dampening = Parameter("dampening", default: Float(0), .unit, "τ, the share of the gradient left out of the momentum buffer")
        public static let nesterov = Parameter("nesterov", default: false, .either, "Nesterov's look-ahead momentum (needs momentum > 0, dampening 0)")
    }

    /// A validated rule; throws naming the parameter out of range.
    public init(momentum: Float = Parameters.momentum.defaultValue, dampening: Float = Parameters.dampening.defaultValue, nesterov: Bool = Parameters.nesterov.defaultValue) throws {
        self.init(uncheckedMomentum: momentum, dampening: dampening, nesterov: nesterov)
        try validate()
    }

    /// Heavy-ball momentum μ without dampening (check it with `validate()` before use).
    public static func heavyBall(_ momentum: Float) -> MomentumRule {
        MomentumRule(uncheckedMomentum: momentum, dampening: 0, nesterov: false)
    }

    private init(uncheckedMomentum momentum: Float, dampening: Float, nesterov: Bool) {
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
    }

    /// Throws naming the parameter out of range.
    public func validate() throws {
        try Parameters.momentum.check(momentum)
        try Parameters.dampening.check(dampening)
        if nesterov && (momentum == 0 || dampening != 0) {
            throw WeightLabError.parameter("nesterov", nesterov, allowed: "only with momentum > 0 and dampening = 0 (got momentum \(momentum), dampening \(dampening))")
        }
    }

    /// The momentum buffer b (empty without momentum).
    public func makeBuffers(dimension: Int) -> [Float] {
        momentum == 0 ? [] : [Float](repeating: 0, count: dimension)
    }

    public func mismatch(_ buffers: [Float], dimension: Int) -> String? {
        SavedShapes.firstMismatch([("momentum buffer", buffers.count, [momentum == 0 ? 0 : dimension])])
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
        if buffers.count != w.count { buffers = makeBuffers(dimension: w.count) }
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
