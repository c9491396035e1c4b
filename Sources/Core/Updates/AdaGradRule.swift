/// AdaGrad: per-weight rates that shrink with the sum of squared gradients, PyTorch's
/// `torch.optim.Adagrad` form. With s₀ = initialAccumulator, for t = 1, 2, …:
///
///     η̃ ← η / (1 + (t − 1)·lrDecay)
///     s ← s + g²
///     w ← w − η̃ · g / (√s + ε)
///
/// Source: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and
/// Stochastic Optimization" (JMLR 2011). Defaults are PyTorch's.
public struct AdaGradRule: UpdateRule {
    /// The inverse-time decay of the learning rate per update.
    public let learningRateDecay: Float
    /// s₀, the starting value of every squared-gradient sum.
    public let initialAccumulator: Float
    /// ε, added to √s.
    public let epsilon: Float

    /// The rule's parameters (PyTorch's defaults).
    public enum Parameters {
        public static let learningRateDecay = Parameter("lrDecay", default: Float(0), .nonNegative, "inverse-time decay of η per update")
        public static let initialAccumulator = Parameter("initialAccumulator", default: Float(0), .nonNegative, "s₀, the starting squared-gradient sum")
        public static let epsilon = Parameter("epsilon", default: Float(1e-10), .nonNegative, "ε, added to √s")
        public static let infos = [learningRateDecay.info, initialAccumulator.info, epsilon.info]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(
            learningRateDecay: try p.value(Parameters.learningRateDecay), initialAccumulator: try p.value(Parameters.initialAccumulator),
            epsilon: try p.value(Parameters.epsilon))
    }

    /// A validated rule; throws naming the parameter out of range.
    public init(
        learningRateDecay: Float = Parameters.learningRateDecay.defaultValue, initialAccumulator: Float = Parameters.initialAccumulator.defaultValue,
        epsilon: Float = Parameters.epsilon.defaultValue
    ) throws {
        self.learningRateDecay = try Parameters.learningRateDecay.checked(learningRateDecay)
        self.initialAccumulator = try Parameters.initialAccumulator.checked(initialAccumulator)
        self.epsilon = try Parameters.epsilon.checked(epsilon)
    }

    /// The squared-gradient sums s.
    public func makeBuffers(dimension: Int) -> [Float] {
        [Float](repeating: initialAccumulator, count: dimension)
    }

    public func mismatch(_ buffers: [Float], dimension: Int) -> String? {
        SavedShapes.firstMismatch([("squared-gradient sums", buffers.count, [dimension])])
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
