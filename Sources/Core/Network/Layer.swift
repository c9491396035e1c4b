/// One layer of a feed-forward network, as written in a specification.
public enum Layer: Sendable, Equatable, Codable, CustomStringConvertible {
    /// y = xW + b, W of shape in × units (row-major), b of length units.
    case dense(units: Int)
    /// An elementwise nonlinearity (PReLU's slopes live in the parameter buffer).
    case activation(Activation)
    /// Inverted dropout (Srivastava et al., 2014): in training each unit is zeroed with
    /// probability `rate` and the survivors scaled by 1/(1 − rate); identity in inference.
    case dropout(rate: Float)
    /// Batch normalization (Ioffe & Szegedy, 2015): per unit, x̂ = (x − μ)/√(σ² + ε), y = γx̂ + β,
    /// with batch statistics in training and running statistics (updated with `momentum`,
    /// PyTorch's convention: r ← (1 − momentum)·r + momentum·batch) in inference. γ and β are
    /// learnable and stored in the parameter buffer.
    case batchNorm(momentum: Float, epsilon: Float)

    /// Batch normalization with PyTorch's defaults (momentum 0.1, ε = 1e-5).
    public static var batchNorm: Layer { .batchNorm(momentum: 0.1, epsilon: 1e-5) }

    public var description: String {
        switch self {
        case .dense(let units): "dense(\(units))"
        case .activation(let a): a.description
        case .dropout(let rate): "dropout(\(rate))"
        case .batchNorm: "batch-norm"
        }
    }
}

/// Where one layer sits: its widths and its slice of the flat parameter buffer.
public struct LayerLayout: Sendable, Equatable {
    public let layer: Layer
    public let inputWidth: Int
    public let outputWidth: Int
    /// Offset of the layer's first parameter in the flat buffer.
    public let parameterOffset: Int
    /// Parameters the layer owns (weights then bias; slopes; γ then β).
    public let parameterCount: Int
    /// Offset of the layer's running statistics (mean then variance) in the network's
    /// statistics buffer; batch normalization only.
    public let statisticsOffset: Int
}
