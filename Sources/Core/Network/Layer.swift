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
    /// A 2-D convolution over channels-last images (see `Convolution` for the kernel layout).
    case convolution(Convolution)
    /// Max or average pooling over windows of each channel.
    case pooling(Pooling)
    /// The mean of each channel over all positions: h × w × c becomes a vector of c.
    case globalAveragePooling

    /// Whether this is a dense layer.
    public var isDense: Bool { if case .dense = self { true } else { false } }

    /// Batch normalization with PyTorch's defaults (momentum 0.1, ε = 1e-5).
    public static var batchNorm: Layer { .batchNorm(momentum: 0.1, epsilon: 1e-5) }

    public var description: String {
        switch self {
        case .dense(let units): "dense(\(units))"
        case .activation(let a): a.description
        case .dropout(let rate): "dropout(\(rate))"
        case .batchNorm: "batch-norm"
        case .convolution(let convolution): convolution.description
        case .pooling(let pooling): pooling.description
        case .globalAveragePooling: "globalavgpool"
        }
    }
}

/// Where one layer sits: its widths and shapes and its slice of the flat parameter buffer.
public struct LayerLayout: Sendable, Equatable {
    public let layer: Layer
    public let inputWidth: Int
    public let outputWidth: Int
    /// The image the layer reads, nil for a flat vector.
    public let inputShape: ImageShape?
    /// The image the layer writes, nil for a flat vector (after a dense or global pooling layer).
    public let outputShape: ImageShape?
    /// Offset of the layer's first parameter in the flat buffer.
    public let parameterOffset: Int
    /// Parameters the layer owns (weights then bias; slopes; γ then β).
    public let parameterCount: Int
    /// Offset of the layer's running statistics (mean then variance) in the network's
    /// statistics buffer; batch normalization only.
    public let statisticsOffset: Int

    /// Values per position an elementwise layer, batch norm or PReLU acts on by channel: the
    /// image's channels, or the whole width of a flat vector.
    public var channels: Int { outputShape?.channels ?? outputWidth }

    /// For a dense layer or a convolution: the fan-in and fan-out an initializer scales by
    /// (a convolution's are PyTorch's: k_h·k_w·in and k_h·k_w·filters), and the weight matrix's
    /// row length (units or filters); nil for other layers.
    var kernelFan: (in: Int, out: Int, weightsPerInput: Int)? {
        switch layer {
        case .dense: return (inputWidth, outputWidth, outputWidth)
        case .convolution(let c):
            let area = c.kernelHeight * c.kernelWidth
            return (area * (inputShape?.channels ?? 0), area * c.filters, c.filters)
        default: return nil
        }
    }

    /// Positions per sample: height·width of the output image, 1 for a flat vector.
    public var positions: Int { outputShape?.positions ?? 1 }
}
