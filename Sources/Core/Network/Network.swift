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
    /// The convolution layers' placements, by layer index (nil for other layers).
    let convolutionGeometries: [ConvolutionGeometry?]

    /// The image each sample is, nil for a flat feature vector (a table).
    public let inputShape: ImageShape?

    /// A network on `inputWidth` features, images of `imageShape` when given (channels-last,
    /// `imageShape.count == inputWidth`); throws on sizes that do not fit, naming the layer by
    /// its position from 1 (`item 5, maxpool(2): input 1×1×64 is smaller than the window`).
    public init(inputWidth: Int, layers: [Layer], imageShape: ImageShape? = nil) throws {
        try validateCount("input width", inputWidth, atLeast: 1)
        if let imageShape, imageShape.count != inputWidth || imageShape.channels < 1 {
            throw WeightLabError(.shape, "the image shape \(imageShape) holds \(imageShape.count) features, the input has \(inputWidth)")
        }
        guard layers.contains(where: \.isDense) else {
            throw WeightLabError(.specification, "a network needs at least one dense layer")
        }
        var layouts: [LayerLayout] = []
        var width = inputWidth
        var shape = imageShape
        var offset = 0
        var statistics = 0
        var geometries: [ConvolutionGeometry?] = []
        for (index, layer) in layers.enumerated() {
            let item = "item \(index + 1), \(layer)"
            var outShape = shape
            var out = width
            var count = 0
            var statisticsOffset = 0
            var geometry: ConvolutionGeometry? = nil
            let channels = shape?.channels ?? width
            func image() throws -> ImageShape {
                guard let shape else {
                    let after = imageShape != nil ? "the previous layer's output is a flat vector of \(width)" : "the data set's samples are flat vectors of \(inputWidth) features, not images"
                    throw WeightLabError(.specification, "\(item): needs an image input, but \(after)")
                }
                return shape
            }
            switch layer {
            case .dense(let units):
                guard units >= 1 else { throw WeightLabError.parameter("layers[\(index)].units", units, allowed: "an integer ≥ 1") }
                outShape = nil
                out = units
                guard let weights = MemoryEstimate.bytes(width, units), weights < Int.max - units else {
                    throw WeightLabError(.parameter, "layers[\(index)]: a dense layer of \(width) × \(units) weights is more than can be addressed")
                }
                count = weights + units
            case .activation(let activation):
                switch activation {
                case .prelu(let a): try validate("prelu initial slope", a, in: -1e6...1e6); count = channels
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
                count = 2 * channels
                statisticsOffset = statistics
                statistics += 2 * channels
            case .convolution(let convolution):
                let placed = try convolution.geometry(on: try image(), item: item)
                geometry = placed
                outShape = placed.output
                guard let kernels = MemoryEstimate.bytes(placed.patchSize, convolution.filters), kernels < Int.max - convolution.filters else {
                    throw WeightLabError(.parameter, "\(item): \(placed.patchSize) × \(convolution.filters) kernel weights are more than can be addressed")
                }
                count = kernels + convolution.filters
            case .pooling(let pooling):
                outShape = try pooling.output(on: try image(), item: item)
            case .globalAveragePooling:
                out = try image().channels
                outShape = nil
            }
            if let outShape { out = outShape.count }
            geometries.append(geometry)
            layouts.append(LayerLayout(
                layer: layer, inputWidth: width, outputWidth: out, inputShape: shape, outputShape: outShape,
                parameterOffset: offset, parameterCount: count, statisticsOffset: statisticsOffset))
            let (next, overflow) = offset.addingReportingOverflow(count)
            guard !overflow else { throw WeightLabError(.parameter, "layers[\(index)]: the network has more weights than can be addressed") }
            offset = next
            width = out
            shape = outShape
        }
        try MemoryEstimate.check("a network of \(offset) weights", needs: [
            ("weights, their gradient and an optimizer's two moments, 4 × 4 bytes each", MemoryEstimate.bytes(offset, 16)),
        ])
        self.inputWidth = inputWidth
        self.inputShape = imageShape
        self.layers = layers
        self.layouts = layouts
        self.parameterCount = offset
        self.statisticsCount = statistics
        self.convolutionGeometries = geometries
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

    /// Index ranges of the dense layers' weight matrices and the convolutions' kernels (not
    /// biases): what L1/L2 penalize.
    public var denseWeightRanges: [Range<Int>] {
        layouts.compactMap { layout in
            guard let fan = layout.kernelFan else { return nil }
            return layout.parameterOffset..<(layout.parameterOffset + fan.in * fan.weightsPerInput)
        }
    }

    /// The largest patch matrix one sample needs (output positions × patch size over the
    /// convolutions), for sizing workspaces; 0 without convolutions.
    var maximumPatchFloats: Int {
        convolutionGeometries.reduce(0) { largest, geometry in
            max(largest, geometry.map { $0.output.positions * $0.patchSize } ?? 0)
        }
    }

    /// Floats a `Workspace` holds per sample: every layer's output, masks and normalized values,
    /// two gradient buffers, and the patch matrix and its gradient.
    var workspaceFloatsPerSample: Int {
        let outputs = layouts.reduce(0) { total, layout in
            switch layout.layer {
            case .dropout, .batchNorm: total + 2 * layout.outputWidth
            default: total + layout.outputWidth
            }
        }
        return outputs + 2 * maximumWidth + 2 * maximumPatchFloats + maximumPositions
    }

    /// The samples one pass holds in flight across all lanes by default: 2,048, or fewer when
    /// their workspaces would exceed 64 Mi floats (256 MiB), as a convolutional network's would
    /// (about 1 MiB per sample for the reference CNN), but never fewer than 64.
    public var defaultChunkSize: Int {
        min(2048, max(64, (1 << 26) / max(1, workspaceFloatsPerSample)))
    }

    /// The most output positions of a convolution (1 without convolutions).
    var maximumPositions: Int {
        convolutionGeometries.reduce(1) { max($0, $1?.output.positions ?? 1) }
    }

    /// Fresh weights: dense weights and convolution kernels from `initializer`, biases 0, batch-norm γ = 1 and β = 0,
    /// PReLU slopes at their initial value.
    public func initialWeights(_ initializer: Initializer, rng: inout RandomStream) -> [Float] {
        var weights = [Float](repeating: 0, count: parameterCount)
        weights.withUnsafeMutableBufferPointer { w in
            for layout in layouts {
                let base = layout.parameterOffset
                switch layout.layer {
                case .dense, .convolution:
                    guard let fan = layout.kernelFan else { break }
                    let matrix = UnsafeMutableBufferPointer(rebasing: w[base..<(base + fan.in * fan.weightsPerInput)])
                    initializer.fill(matrix, fanIn: fan.in, fanOut: fan.out, rng: &rng)
                case .activation(.prelu(let slope)):
                    for j in 0..<layout.parameterCount { w[base + j] = slope }
                case .batchNorm:
                    for j in 0..<layout.channels { w[base + j] = 1 }
                default:
                    break
                }
            }
        }
        return weights
    }

    /// Every parameter's scale under `initializer`: for a dense or convolution layer's weights and
    /// biases, the standard deviation the initializer draws its weights with (He-normal:
    /// √(2/fan-in)); for the parameters it does not draw (PReLU slopes, batch-norm scales and
    /// shifts), the scale of the weights before them. Step-size defaults follow it on networks.
    public func initialScales(_ initializer: Initializer) -> [Float] {
        var scales = [Float](repeating: 1, count: parameterCount)
        var current: Float = 1
        for layout in layouts where layout.parameterCount > 0 {
            if let fan = layout.kernelFan { current = initializer.standardDeviation(fanIn: fan.in, fanOut: fan.out) }
            for j in layout.parameterOffset..<(layout.parameterOffset + layout.parameterCount) { scales[j] = current }
        }
        return scales
    }

    /// Running statistics at their starting values: mean 0 and variance 1 per unit.
    public func initialStatistics() -> [Float] {
        var statistics = [Float](repeating: 0, count: statisticsCount)
        for layout in layouts {
            if case .batchNorm = layout.layer {
                let c = layout.channels
                for j in 0..<c { statistics[layout.statisticsOffset + c + j] = 1 }
            }
        }
        return statistics
    }
}
