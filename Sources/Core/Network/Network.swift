/// A feed-forward network: an input width and a stack of layers, laid out over one contiguous
/// Float32 parameter buffer. Layers are views into that buffer (see `LayerLayout`), so a weight
/// vector, a checkpoint and a row of a population matrix are all the same flat array.
///
/// The network holds no weights: it describes where they go. `NetworkObjective` prices weight
/// vectors with it; `forward`/`backward` run on a caller-owned `Workspace`.
public struct Network: Sendable, Equatable {
    /// Features per input sample.
    public let inputWidth: Int
    /// The layers in order.
    public let layers: [Layer]
    /// Each layer's widths and parameter slice.
    public let layouts: [LayerLayout]
    /// Total number of parameters.
    public let parameterCount: Int
    /// Total number of batch-norm running statistics (two per normalized unit).
    public let statisticsCount: Int

    /// A network on `inputWidth` features; throws on sizes that do not fit.
    public init(inputWidth: Int, layers: [Layer]) throws {
        try validateCount("input width", inputWidth, atLeast: 1)
        guard layers.contains(where: { if case .dense = $0 { true } else { false } }) else {
            throw WeightLabError(.specification, "a network needs at least one dense layer")
        }
        var layouts: [LayerLayout] = []
        var width = inputWidth
        var offset = 0
        var statistics = 0
        for (index, layer) in layers.enumerated() {
            var out = width
            var count = 0
            var statisticsOffset = 0
            switch layer {
            case .dense(let units):
                guard units >= 1 else { throw WeightLabError.parameter("layers[\(index)].units", units, allowed: "an integer ≥ 1") }
                out = units
                guard let weights = MemoryEstimate.bytes(width, units), weights < Int.max - units else {
                    throw WeightLabError(.parameter, "layers[\(index)]: a dense layer of \(width) × \(units) weights is more than can be addressed")
                }
                count = weights + units
            case .activation(let activation):
                switch activation {
                case .prelu(let a): try validate("prelu initial slope", a, in: -1e6...1e6); count = width
                case .leakyReLU(let s): try validate("leaky-relu slope", s, in: -1e6...1e6)
                case .elu(let a): try validate("elu alpha", a, in: 0...1e6)
                case .swish(let b): try validate("swish beta", b, in: -1e6...1e6)
                default: break
                }
            case .dropout(let rate):
                guard rate.isFinite, rate >= 0, rate < 1 else {
                    throw WeightLabError.parameter("layers[\(index)].dropout rate", rate, allowed: "a value in [0, 1)")
                }
            case .batchNorm(let momentum, let epsilon):
                try validate("layers[\(index)].momentum", momentum, in: 0...1)
                try validatePositive("layers[\(index)].epsilon", epsilon)
                count = 2 * width
                statisticsOffset = statistics
                statistics += 2 * width
            }
            layouts.append(LayerLayout(layer: layer, inputWidth: width, outputWidth: out, parameterOffset: offset, parameterCount: count, statisticsOffset: statisticsOffset))
            let (next, overflow) = offset.addingReportingOverflow(count)
            guard !overflow else { throw WeightLabError(.parameter, "layers[\(index)]: the network has more weights than can be addressed") }
            offset = next
            width = out
        }
        try MemoryEstimate.check("a network of \(offset) weights", needs: [
            ("weights, their gradient and an optimizer's two moments, 4 × 4 bytes each", MemoryEstimate.bytes(offset, 16)),
        ])
        self.inputWidth = inputWidth
        self.layers = layers
        self.layouts = layouts
        self.parameterCount = offset
        self.statisticsCount = statistics
    }

    /// A multilayer perceptron: dense layers of `hidden` widths, each followed by `activation`
    /// (and batch norm before it, and dropout after it, when asked), then a dense output layer.
    public static func perceptron(
        inputs: Int, hidden: [Int], outputs: Int, activation: Activation = .relu,
        dropout: Float = 0, batchNorm: Bool = false
    ) throws -> Network {
        guard dropout.isFinite, dropout >= 0, dropout < 1 else {
            throw WeightLabError.parameter("dropout", dropout, allowed: "a value in [0, 1)")
        }
        var layers: [Layer] = []
        for width in hidden {
            layers.append(.dense(units: width))
            if batchNorm { layers.append(.batchNorm) }
            layers.append(.activation(activation))
            if dropout > 0 { layers.append(.dropout(rate: dropout)) }
        }
        layers.append(.dense(units: outputs))
        return try Network(inputWidth: inputs, layers: layers)
    }

    /// Width of the last layer's output.
    public var outputWidth: Int { layouts.last?.outputWidth ?? inputWidth }

    /// The widest activation, for sizing workspaces.
    var maximumWidth: Int { layouts.reduce(inputWidth) { max($0, $1.outputWidth) } }

    /// Whether any layer behaves differently in training (dropout, batch norm).
    public var hasTrainingBehavior: Bool {
        layers.contains { if case .dropout(let r) = $0 { r > 0 } else if case .batchNorm = $0 { true } else { false } }
    }

    /// Index ranges of the dense layers' weight matrices (not biases): what L1/L2 penalize.
    public var denseWeightRanges: [Range<Int>] {
        layouts.compactMap { layout in
            guard case .dense = layout.layer else { return nil }
            return layout.parameterOffset..<(layout.parameterOffset + layout.inputWidth * layout.outputWidth)
        }
    }

    /// Fresh weights: dense weights from `initializer`, biases 0, batch-norm γ = 1 and β = 0,
    /// PReLU slopes at their initial value.
    public func initialWeights(_ initializer: Initializer, rng: inout RandomStream) -> [Float] {
        var weights = [Float](repeating: 0, count: parameterCount)
        weights.withUnsafeMutableBufferPointer { w in
            for layout in layouts {
                let base = layout.parameterOffset
                switch layout.layer {
                case .dense:
                    let matrix = UnsafeMutableBufferPointer(rebasing: w[base..<(base + layout.inputWidth * layout.outputWidth)])
                    initializer.fill(matrix, fanIn: layout.inputWidth, fanOut: layout.outputWidth, rng: &rng)
                case .activation(.prelu(let slope)):
                    for j in 0..<layout.parameterCount { w[base + j] = slope }
                case .batchNorm:
                    for j in 0..<layout.outputWidth { w[base + j] = 1 }
                default:
                    break
                }
            }
        }
        return weights
    }

    /// Running statistics at their starting values: mean 0 and variance 1 per unit.
    public func initialStatistics() -> [Float] {
        var statistics = [Float](repeating: 0, count: statisticsCount)
        for layout in layouts {
            if case .batchNorm = layout.layer {
                for j in 0..<layout.outputWidth { statistics[layout.statisticsOffset + layout.outputWidth + j] = 1 }
            }
        }
        return statistics
    }
}
