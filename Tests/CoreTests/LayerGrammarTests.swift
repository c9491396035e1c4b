import Testing
@testable import WeightLabCore

@Suite struct LayerGrammarTests {
    @Test func readsTheReferenceNetwork() throws {
        let grammar = try LayerGrammar(parsing: "conv(32, 3, padding: 1), relu, maxpool(2), conv(64, 3, padding: 1), relu, maxpool(2), dense(128), relu")
        #expect(grammar.layers == [
            .convolution(Convolution(filters: 32, kernel: 3, padding: .zeros(1))), .activation(.relu), .pooling(Pooling(.max, window: 2)),
            .convolution(Convolution(filters: 64, kernel: 3, padding: .zeros(1))), .activation(.relu), .pooling(Pooling(.max, window: 2)),
            .dense(units: 128), .activation(.relu),
        ])
        let network = try grammar.network(inputWidth: 784, imageShape: ImageShape(height: 28, width: 28, channels: 1), outputs: 10)
        #expect(network.parameterCount == 421_642)
        #expect(network.layers.last == .dense(units: 10))
    }

    @Test func readsEveryItem() throws {
        let text = "conv(8, 3x5, stride: 2, padding: same), leaky-relu(0.1), avgpool(3, stride: 1), batchnorm, prelu, dropout(0.25), "
            + "conv(4, 1, padding: valid), elu:0.5, globalavgpool, flatten, dense(16), batchnorm(momentum: 0.2, epsilon: 0.001), gelu-tanh"
        #expect(try LayerGrammar(parsing: text).layers == [
            .convolution(Convolution(filters: 8, kernelHeight: 3, kernelWidth: 5, stride: 2, padding: .same)),
            .activation(.leakyReLU(slope: 0.1)), .pooling(Pooling(.average, window: 3, stride: 1)), .batchNorm,
            .activation(.prelu(initialSlope: 0.25)), .dropout(rate: 0.25), .convolution(Convolution(filters: 4, kernel: 1)),
            .activation(.elu(alpha: 0.5)), .globalAveragePooling, .dense(units: 16), .batchNorm(momentum: 0.2, epsilon: 0.001),
            .activation(.geluTanh),
        ])
    }

    @Test func aListOfItemsReadsAsTheString() throws {
        let list = try LayerGrammar(items: ["conv(8, 5, padding: same)", "relu", "maxpool(2)"], context: "network.layers")
        #expect(list.layers == (try LayerGrammar(parsing: "conv(8, 5, padding: same), relu, maxpool(2)")).layers)
    }

    @Test func everyLayerDescriptionParsesBack() throws {
        let layers: [Layer] = [
            .convolution(Convolution(filters: 8, kernelHeight: 3, kernelWidth: 5, stride: 2, padding: .same)), .activation(.leakyReLU(slope: 0.1)),
            .pooling(Pooling(.max, window: 3, stride: 2)), .batchNorm, .dropout(rate: 0.5), .globalAveragePooling, .dense(units: 3),
        ]
        #expect(try LayerGrammar(parsing: layers.map(\.description).joined(separator: ", ")).layers == layers)
    }

    @Test(arguments: [
        ("conv(32, 3), relu, maxpol(2)", ["--layers item 3, 'maxpol(2)'", "unknown layer 'maxpol'", "known: conv, maxpool"]),
        ("conv(0, 3)", ["item 1, 'conv(0, 3)'", "filters '0'"]),
        ("conv(32)", ["item 1", "expected conv(filters, kernel, stride: s, padding: same|valid|N)"]),
        ("conv(32, 3, pad: 1)", ["unknown argument 'pad'", "padding, stride"]),
        ("conv(32, 3, padding: middle)", ["padding 'middle'"]),
        ("dense(128", ["item 1", "'(' is not closed"]),
        ("dense(128)), relu", ["')' without its '('"]),
        ("relu,, relu", ["item 2 is empty"]),
        ("relu(2)", ["item 1, 'relu(2)'", "takes no parameter"]),
        ("dropout(half)", ["rate 'half' is not a number"]),
        ("conv(99999999999999999, 3)", ["filters '99999999999999999' is not a whole number in 1...1000000"]),
        ("conv(8, 3, padding: 4611686018427387904)", ["padding '4611686018427387904'"]),
    ])
    func badTextIsAnErrorNamingTheItem(text: String, fragments: [String]) {
        expectError(mentioning: fragments) { try LayerGrammar(parsing: text) }
    }

    @Test func shapeErrorsNameTheItemAndTheShapes() throws {
        let image = ImageShape(height: 8, width: 8, channels: 1)
        let pooled = try LayerGrammar(parsing: "conv(16, 3, padding: same), maxpool(2), maxpool(2), conv(64, 2), maxpool(2)")
        expectError(mentioning: ["--layers item 5, maxpool(2): input 1×1×64 is smaller than the window"]) {
            try pooled.network(inputWidth: 64, imageShape: image, outputs: 10)
        }
        let large = try LayerGrammar(parsing: "conv(4, 9)")
        expectError(mentioning: ["--layers item 1, conv(4, 9): input 8×8×1 is smaller than the kernel 9×9"]) {
            try large.network(inputWidth: 64, imageShape: image, outputs: 10)
        }
        expectError(mentioning: ["--layers item 2, conv(4, 3)", "needs an image input", "data set's samples are flat vectors of 5 features"]) {
            try LayerGrammar(parsing: "relu, conv(4, 3)").network(inputWidth: 5, imageShape: nil, outputs: 2)
        }
        expectError(mentioning: ["item 2, maxpool(2)", "previous layer's output is a flat vector of 7"]) {
            try LayerGrammar(parsing: "dense(7), maxpool(2)").network(inputWidth: 64, imageShape: image, outputs: 2)
        }
        expectError(mentioning: ["item 1, conv(4, 3, padding: 3)", "padding 3 must lie in 0..<3"]) {
            try LayerGrammar(parsing: "conv(4, 3, padding: 3)").network(inputWidth: 64, imageShape: image, outputs: 2)
        }
    }

    /// The same checks hold for networks built in code, without the grammar.
    @Test func networksBuiltInCodeThrowToo() {
        let image = ImageShape(height: 5, width: 5, channels: 2)
        expectError(mentioning: ["item 1, conv(0, 3)", "at least one filter"]) {
            try Network(inputWidth: 50, layers: [.convolution(Convolution(filters: 0, kernel: 3)), .dense(units: 2)], imageShape: image)
        }
        expectError(mentioning: ["item 2, conv(2, 3, stride: 0)", "stride 0"]) {
            try Network(inputWidth: 50, layers: [.activation(.relu), .convolution(Convolution(filters: 2, kernel: 3, stride: 0)), .dense(units: 2)], imageShape: image)
        }
        expectError(mentioning: ["image shape 5×5×2 holds 50 features, the input has 49"]) {
            try Network(inputWidth: 49, layers: [.dense(units: 2)], imageShape: image)
        }
        expectError(mentioning: ["item 1, maxpool(0)", "window 0"]) {
            try Network(inputWidth: 50, layers: [.pooling(Pooling(.max, window: 0)), .dense(units: 2)], imageShape: image)
        }
        expectError(mentioning: ["item 1, globalavgpool: needs an image input"]) {
            try Network(inputWidth: 50, layers: [.globalAveragePooling, .dense(units: 2)])
        }
    }
}
