/// RMSprop: the gradient divided by a running root mean square of recent gradients, with
/// optional momentum and the centered variant, PyTorch's `torch.optim.RMSprop` form. With
/// v = b = ḡ = 0, for t = 1, 2, …:
///
///     v ← αv + (1 − α)g²
///     ṽ ← v
///     if centered:  ḡ ← αḡ + (1 − α)g,  ṽ ← ṽ − ḡ²
///     if μ > 0:     b ← μb + g / (√ṽ + ε),  w ← w − ηb
///     else:         w ← w − η · g / (√ṽ + ε)
///
/// Sources: Tieleman & Hinton, COURSERA lecture 6.5 (2012); Graves (2013) for the centered form.
public struct RMSpropRule: UpdateRule {
    /// The running averages; `momentum` and `average` are empty when unused.
    public struct Buffers: Codable, Sendable {
        /// v, the running mean of g².
        public var square: [Float]
        /// b, the momentum buffer.
        public var momentum: [Float]
        /// ḡ, the running mean of g (centered only).
        public var average: [Float]
    }

    /// α, the smoothing constant of the running averages.
    public let alpha: Float
    /// ε, added to the root mean square.
    public let epsilon: Float
    /// μ, the momentum on the scaled step.
    public let momentum: Float
    /// Whether the variance estimate subtracts the squared running mean.
    public let centered: Bool

    /// The rule's parameters (PyTorch's defaults).
    public enum Parameters {
        public static let alpha = Parameter("alpha", default: Float(0.99), .unit, "α, the smoothing constant of the running averages")
        public static let epsilon = Parameter("epsilon", default: Float(1e-8), .nonNegative, "ε, added to the root mean square")
        public static let momentum = Parameter("momentum", default: Float(0), .unit, "μ, the momentum on the scaled step")
        public static let centered = Parameter("centered", default: false, .either, "subtract the squared running mean from the variance estimate")
        public static let infos = [alpha.info, epsilon.info, momentum.info, centered.info]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(alpha: try p.value(Parameters.alpha), epsilon: try p.value(Parameters.epsilon), momentum: try p.value(Parameters.momentum), centered: try p.value(Parameters.centered))
    }

    /// A validated rule; throws naming the parameter out of range.
    public init(
        alpha: Float = Parameters.alpha.defaultValue, epsilon: Float = Parameters.epsilon.defaultValue,
        momentum: Float = Parameters.momentum.defaultValue, centered: Bool = Parameters.centered.defaultValue
    ) throws {
        self.alpha = try Parameters.alpha.checked(alpha)
        self.epsilon = try Parameters.epsilon.checked(epsilon)
        self.momentum = try Parameters.momentum.checked(momentum)
        self.centered = centered
    }

    public func makeBuffers(dimension: Int) -> Buffers {
        let zeros = [Float](repeating: 0, count: dimension)
        return Buffers(square: zeros, momentum: momentum > 0 ? zeros : [], average: centered ? zeros : [])
    }

    public func mismatch(_ buffers: Buffers, dimension: Int) -> String? {
        SavedShapes.firstMismatch([
            ("squared-gradient averages", buffers.square.count, [dimension]), ("momentum buffer", buffers.momentum.count, [momentum > 0 ? dimension : 0]),
            ("gradient averages", buffers.average.count, [centered ? dimension : 0]),
        ])
    }

    /// Overwrites the gradient with the scaled step g/(√ṽ + ε), then moves the weights.
    public func update(
        weights w: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeMutableBufferPointer<Float>,
        buffers: inout Buffers, learningRate eta: Float, step t: Int
    ) {
        let rule = (a: alpha, rest: 1 - alpha, eps: epsilon, mu: momentum, eta: eta, centered: centered)
        // The flags are tested outside the loops: branch-free loop bodies vectorize.
        buffers.square.withUnsafeMutableBufferPointer { v in
            buffers.average.withUnsafeMutableBufferPointer { mean in
                buffers.momentum.withUnsafeMutableBufferPointer { b in
                    Parallelism.forEachRange(w.count, with: (w, g, v, mean, b, rule)) { arguments, range in
                        let (w, g, v, mean, b, rule) = arguments
                        let (a, rest, eps, mu, eta) = (rule.a, rule.rest, rule.eps, rule.mu, rule.eta)
                        if rule.centered {
                            for i in range {
                                v[i] = a * v[i] + rest * g[i] * g[i]
                                mean[i] = a * mean[i] + rest * g[i]
                                g[i] /= squareRoot(ofNonNegative: v[i] - mean[i] * mean[i]) + eps
                            }
                        } else {
                            for i in range {
                                v[i] = a * v[i] + rest * g[i] * g[i]
                                g[i] /= squareRoot(ofNonNegative: v[i]) + eps
                            }
                        }
                        if mu > 0 {
                            for i in range {
                                b[i] = mu * b[i] + g[i]
                                w[i] -= eta * b[i]
                            }
                        } else {
                            for i in range { w[i] -= eta * g[i] }
                        }
                    }
                }
            }
        }
    }
}
