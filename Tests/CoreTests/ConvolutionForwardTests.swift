import Testing
@testable import WeightLabCore

/// A direct convolution, written as its definition: y[n, i, j, f] = b[f] +
/// Σ_{kh, kw, c} x[n, i·s − top + kh, j·s − left + kw, c] · K[kh][kw][c][f], zero outside.
func directConvolution(
    _ x: [Float], images: Int, input: ImageShape, kernel: [Float], bias: [Float],
    kernelHeight: Int, kernelWidth: Int, stride: Int, top: Int, left: Int, output: ImageShape
) -> [Float] {
    var y = [Float](repeating: 0, count: images * output.count)
    for n in 0..<images {
        for i in 0..<output.height {
            for j in 0..<output.width {
                for f in 0..<output.channels {
                    var sum = bias[f]
                    for kh in 0..<kernelHeight {
                        for kw in 0..<kernelWidth {
                            let ih = i * stride - top + kh
                            let iw = j * stride - left + kw
                            guard ih >= 0, ih < input.height, iw >= 0, iw < input.width else { continue }
                            for c in 0..<input.channels {
                                let value = x[n * input.count + (ih * input.width + iw) * input.channels + c]
                                sum += value * kernel[((kh * kernelWidth + kw) * input.channels + c) * output.channels + f]
                            }
                        }
                    }
                    y[n * output.count + (i * output.width + j) * output.channels + f] = sum
                }
            }
        }
    }
    return y
}

@Suite struct ConvolutionForwardTests {
    /// The layer's output (ws.outputs[0]) for `images` random images.
    func layerOutput(_ convolution: Convolution, on shape: ImageShape, images: Int) throws -> (network: Network, weights: [Float], x: [Float], y: [Float]) {
        let network = try Network(inputWidth: shape.count, layers: [.convolution(convolution), .dense(units: 1)], imageShape: shape)
        var rng = RandomStream(seed: 4)
        var weights = network.initialWeights(.heNormal, rng: &rng)
        for i in weights.indices where weights[i] == 0 { weights[i] = rng.uniform(-1, 1) }
        let x = (0..<(images * shape.count)).map { _ in rng.uniform(-1, 1) }
        let ws = Workspace(network: network, capacity: images)
        var unused = RandomStream(seed: 0)
        weights.withUnsafeBufferPointer { w in
            x.withUnsafeBufferPointer { input in
                _ = network.forward(weights: w.baseAddress!, input: input.baseAddress!, rows: images, workspace: ws, mode: .inference, statistics: nil, rng: &unused)
            }
        }
        let out = network.layouts[0].outputWidth
        return (network, weights, x, Array(UnsafeBufferPointer(start: ws.outputs[0], count: images * out)))
    }

    @Test(arguments: [
        (Convolution(filters: 4, kernel: 3, padding: .same), 1, 1),
        (Convolution(filters: 3, kernel: 3, stride: 2, padding: .same), 1, 0),
        (Convolution(filters: 2, kernelHeight: 3, kernelWidth: 2, stride: 1, padding: .valid), 0, 0),
        (Convolution(filters: 5, kernel: 5, stride: 2, padding: .zeros(2)), 2, 2),
        (Convolution(filters: 2, kernel: 4, stride: 1, padding: .same), 1, 1),
    ])
    func equalsTheDirectConvolution(_ convolution: Convolution, top: Int, left: Int) throws {
        let shape = ImageShape(height: 7, width: 6, channels: 3)
        let (network, weights, x, y) = try layerOutput(convolution, on: shape, images: 3)
        let output = network.layouts[0].outputShape!
        let patch = convolution.kernelHeight * convolution.kernelWidth * shape.channels
        let kernel = Array(weights[0..<(patch * convolution.filters)])
        let bias = Array(weights[(patch * convolution.filters)..<(patch * convolution.filters + convolution.filters)])
        let expected = directConvolution(
            x, images: 3, input: shape, kernel: kernel, bias: bias, kernelHeight: convolution.kernelHeight,
            kernelWidth: convolution.kernelWidth, stride: convolution.stride, top: top, left: left, output: output)
        #expect(y.count == expected.count)
        let worst = zip(y, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 1
        #expect(worst < 1e-5, "\(convolution)")
    }

    @Test func outputShapes() throws {
        let shape = ImageShape(height: 28, width: 28, channels: 1)
        func out(_ c: Convolution) throws -> ImageShape? {
            try Network(inputWidth: shape.count, layers: [.convolution(c), .dense(units: 1)], imageShape: shape).layouts[0].outputShape
        }
        #expect(try out(Convolution(filters: 8, kernel: 5, padding: .same)) == ImageShape(height: 28, width: 28, channels: 8))
        #expect(try out(Convolution(filters: 8, kernel: 5)) == ImageShape(height: 24, width: 24, channels: 8))
        #expect(try out(Convolution(filters: 8, kernel: 3, stride: 2, padding: .same)) == ImageShape(height: 14, width: 14, channels: 8))
        #expect(try out(Convolution(filters: 8, kernel: 3, stride: 2, padding: .zeros(1))) == ImageShape(height: 14, width: 14, channels: 8))
    }

    /// The reference CNN R of issue 11 has 421,642 weights and EvoJAX's E 11,274.
    @Test func referenceNetworksHaveThePublishedSizes() throws {
        let image = ImageShape(height: 28, width: 28, channels: 1)
        let r: [Layer] = [
            .convolution(Convolution(filters: 32, kernel: 3, padding: .zeros(1))), .activation(.relu), .pooling(Pooling(.max, window: 2)),
            .convolution(Convolution(filters: 64, kernel: 3, padding: .zeros(1))), .activation(.relu), .pooling(Pooling(.max, window: 2)),
            .dense(units: 128), .activation(.relu), .dense(units: 10),
        ]
        #expect(try Network(inputWidth: 784, layers: r, imageShape: image).parameterCount == 421_642)
        let e: [Layer] = [
            .convolution(Convolution(filters: 8, kernel: 5, padding: .same)), .activation(.relu), .pooling(Pooling(.max, window: 2)),
            .convolution(Convolution(filters: 16, kernel: 5, padding: .same)), .activation(.relu), .pooling(Pooling(.max, window: 2)),
            .dense(units: 10),
        ]
        #expect(try Network(inputWidth: 784, layers: e, imageShape: image).parameterCount == 11_274)
    }

    @Test func maxPoolingTakesTheWindowMaximum() throws {
        let shape = ImageShape(height: 4, width: 4, channels: 2)
        let x: [Float] = (0..<32).map { Float(($0 * 7) % 32) }
        var y = [Float](repeating: 0, count: 8)
        let pooling = Pooling(.max, window: 2)
        let output = ImageShape(height: 2, width: 2, channels: 2)
        x.withUnsafeBufferPointer { xs in y.withUnsafeMutableBufferPointer { ys in
            pooling.forward(xs.baseAddress!, ys.baseAddress!, images: 1, input: shape, output: output)
        } }
        for i in 0..<2 {
            for j in 0..<2 {
                for c in 0..<2 {
                    let window = [(0, 0), (0, 1), (1, 0), (1, 1)].map { x[((2 * i + $0.0) * 4 + 2 * j + $0.1) * 2 + c] }
                    #expect(y[(i * 2 + j) * 2 + c] == window.max())
                }
            }
        }
    }
}
