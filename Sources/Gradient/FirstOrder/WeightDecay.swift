import WeightLabCore

/// L2 weight decay λ, in one of the two places the literature puts it.
///
/// - Coupled (PyTorch's `weight_decay` in SGD, AdaGrad, RMSprop, Adam; Optax's
///   `add_decayed_weights` before the scaling): the decay is added to the gradient before the
///   update rule sees it, g ← g + λw, so adaptive methods rescale it like the gradient.
/// - Decoupled (AdamW; Loshchilov & Hutter, "Decoupled Weight Decay Regularization", 2019):
///   the weights shrink directly, w ← w − ηλw with the step's learning rate η, before the
///   update rule moves them; the gradient statistics never see the decay.
public struct WeightDecay: Sendable, Equatable, Codable {
    /// λ ≥ 0.
    public var coefficient: Float
    /// Whether the decay shrinks the weights directly (AdamW) instead of joining the gradient.
    public var decoupled: Bool

    /// No decay.
    public static let none = WeightDecay(coefficient: 0, decoupled: false)

    /// g ← g + λw, before the update rule.
    public static func coupled(_ coefficient: Float) -> WeightDecay {
        WeightDecay(coefficient: coefficient, decoupled: false)
    }

    /// w ← w − ηλw, before the update rule.
    public static func decoupled(_ coefficient: Float) -> WeightDecay {
        WeightDecay(coefficient: coefficient, decoupled: true)
    }

    /// Applies the decay for a step with learning rate `rate`.
    @inlinable
    public func apply(weights w: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeMutableBufferPointer<Float>, rate: Float) {
        guard coefficient != 0 else { return }
        if decoupled {
            Parallelism.forEachRange(w.count, with: (w, 1 - rate * coefficient)) { arguments, range in
                let (w, shrink) = arguments
                for i in range { w[i] *= shrink }
            }
        } else {
            Parallelism.forEachRange(g.count, with: (w, g, coefficient)) { arguments, range in
                let (w, g, lambda) = arguments
                for i in range { g[i] += lambda * w[i] }
            }
        }
    }
}
