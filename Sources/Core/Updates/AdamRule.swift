import Foundation

/// Adam: momentum on the gradient scaled by a running root mean square, both bias-corrected,
/// with optional AMSGrad, PyTorch's `torch.optim.Adam` form. With m = v = v_max = 0, for
/// t = 1, 2, …:
///
///     m ← β₁m + (1 − β₁)g
///     v ← β₂v + (1 − β₂)g²
///     m̂ ← m / (1 − β₁ᵗ)
///     amsgrad:  v_max ← max(v_max, v),  v̂ ← v_max / (1 − β₂ᵗ)
///     else:     v̂ ← v / (1 − β₂ᵗ)
///     w ← w − η · m̂ / (√v̂ + ε)
///
/// Sources: Kingma & Ba (ICLR 2015); Reddi, Kale & Kumar (ICLR 2018) for AMSGrad. The rule of
/// `adam`, `adamw` and of OpenAI-ES's center (Salimans et al. 2017).
public struct AdamRule: UpdateRule {
    /// The moment estimates; `maximum` is empty unless AMSGrad is on.
    public struct Buffers: Codable, Sendable {
        /// m, the first moment.
        public var mean: [Float]
        /// v, the second moment.
        public var square: [Float]
        /// v_max, the largest second moment so far (AMSGrad).
        public var maximum: [Float]

        public init(mean: [Float], square: [Float], maximum: [Float]) {
            self.mean = mean
            self.square = square
            self.maximum = maximum
        }
    }

    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let amsgrad: Bool

    /// The rule's parameters (PyTorch's defaults).
    public enum Parameters {
        public static let beta1 = Parameter("beta1", default: Float(0.9), .unitOpen, "β₁, the decay rate of the first moment m")
        public static let beta2 = Parameter("beta2", default: Float(0.999), .unitOpen, "β₂, the decay rate of the second moment v")
        public static let epsilon = Parameter("epsilon", default: Float(1e-8), .nonNegative, "ε, added to √v̂")
        public static let amsgrad = Parameter("amsgrad", default: false, .either, "use the running maximum of v (AMSGrad)")
        public static let infos = [beta1.info, beta2.info, epsilon.info, amsgrad.info]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(beta1: try p.value(Parameters.beta1), beta2: try p.value(Parameters.beta2), epsilon: try p.value(Parameters.epsilon), amsgrad: try p.value(Parameters.amsgrad))
    }

    /// PyTorch's (and the paper's) rule: β = (0.9, 0.999), ε = 1e-8, no AMSGrad.
    public static let standard = AdamRule(uncheckedBeta1: 0.9, beta2: 0.999, epsilon: 1e-8, amsgrad: false)

    private init(uncheckedBeta1 beta1: Float, beta2: Float, epsilon: Float, amsgrad: Bool) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
    }

    /// Throws naming the parameter out of range.
    public func validate() throws {
        try Parameters.beta1.check(beta1)
        try Parameters.beta2.check(beta2)
        try Parameters.epsilon.check(epsilon)
    }

    /// A validated rule; throws naming the parameter out of range.
    public init(
        beta1: Float = Parameters.beta1.defaultValue, beta2: Float = Parameters.beta2.defaultValue,
        epsilon: Float = Parameters.epsilon.defaultValue, amsgrad: Bool = Parameters.amsgrad.defaultValue
    ) throws {
        self.init(uncheckedBeta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad)
        try validate()
    }

    public func makeBuffers(dimension: Int) -> Buffers {
        let zeros = [Float](repeating: 0, count: dimension)
        return Buffers(mean: zeros, square: zeros, maximum: amsgrad ? zeros : [])
    }

    public func mismatch(_ buffers: Buffers, dimension: Int) -> String? {
        SavedShapes.firstMismatch([
            ("first moments", buffers.mean.count, [dimension]), ("second moments", buffers.square.count, [dimension]),
            ("largest second moments", buffers.maximum.count, [amsgrad ? dimension : 0]),
        ])
    }

    public func update(
        weights w: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeMutableBufferPointer<Float>,
        buffers: inout Buffers, learningRate eta: Float, step t: Int
    ) {
        let rule = (
            b1: beta1, b2: beta2, eps: epsilon, eta: eta,
            correct1: Float(1 / (1 - pow(Double(beta1), Double(t)))),
            correct2: Float(1 / (1 - pow(Double(beta2), Double(t)))))
        buffers.mean.withUnsafeMutableBufferPointer { m in
            buffers.square.withUnsafeMutableBufferPointer { v in
                // AMSGrad is tested outside the loops: branch-free loop bodies vectorize.
                guard amsgrad else {
                    Parallelism.forEachRange(w.count, with: (w, g, m, v, rule)) { arguments, range in
                        let (w, g, m, v, rule) = arguments
                        let (b1, b2, eps, eta, correct1, correct2) = rule
                        for i in range {
                            m[i] = b1 * m[i] + (1 - b1) * g[i]
                            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                            w[i] -= eta * (m[i] * correct1) / (squareRoot(ofNonNegative: v[i] * correct2) + eps)
                        }
                    }
                    return
                }
                buffers.maximum.withUnsafeMutableBufferPointer { vMax in
                    Parallelism.forEachRange(w.count, with: (w, g, m, v, vMax, rule)) { arguments, range in
                        let (w, g, m, v, vMax, rule) = arguments
                        let (b1, b2, eps, eta, correct1, correct2) = rule
                        for i in range {
                            m[i] = b1 * m[i] + (1 - b1) * g[i]
                            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                            vMax[i] = max(vMax[i], v[i])
                            w[i] -= eta * (m[i] * correct1) / (squareRoot(ofNonNegative: vMax[i] * correct2) + eps)
                        }
                    }
                }
            }
        }
    }
}
