import Testing
@testable import WeightLabCore
import WeightLabTestSupport

/// Gradients of every layer, activation, loss and regularizer against finite differences.
@Suite struct NetworkGradientTests {
    /// Per-coordinate tolerance of `GradientCheck` at its step 5e-3 (measured noise up to 4.4e-4;
    /// the exact GELU differenced against the tanh form's gradient: 1e-3).
    static let tolerance: Float = 7e-4
    /// At step 1e-3, for piecewise-linear activations (five times the rounding noise).
    static let kinkedTolerance: Float = 3e-3

    func check(_ layers: [Layer], inputs: Int = 5, loss: Loss = .softmaxCrossEntropy, outputs: Int = 3,
               regularizer: Regularizer = .none, initializer: Initializer = .xavierNormal, seed: UInt64 = 1, step: Float = 5e-3) throws -> Float {
        let network = try Network(inputWidth: inputs, layers: layers)
        #expect(network.outputWidth == outputs)
        let objective = NetworkObjective(network: network, loss: loss, regularizer: regularizer)
        var rng = RandomStream(seed: seed)
        var weights = network.initialWeights(initializer, rng: &rng)
        // Non-zero biases and batch-norm shifts, so their gradients are exercised off the symmetric point.
        for i in weights.indices where weights[i] == 0 { weights[i] = rng.uniform(-0.3, 0.3) }
        let batch: Samples
        switch loss {
        case .softmaxCrossEntropy: batch = randomClassification(count: 7, features: inputs, classes: outputs, seed: seed)
        case .meanSquaredError: batch = randomRegression(count: 7, features: inputs, targets: outputs, seed: seed)
        case .binaryCrossEntropy: batch = randomClassification(count: 7, features: inputs, classes: 2, seed: seed)
        }
        return try GradientCheck(objective: objective, batch: batch, step: step).relativeError(at: weights)
    }

    @Test func denseLayerAlone() throws {
        #expect(try check([.dense(units: 3)]) < Self.tolerance)
    }

    @Test(arguments: [
        Activation.sigmoid, .tanh, .relu, .leakyReLU(slope: 0.1), .elu(alpha: 1.0),
        .prelu(initialSlope: 0.25), .swish(beta: 1.0), .swish(beta: 1.7), .gelu, .geluTanh,
    ])
    func activationBetweenDenseLayers(_ activation: Activation) throws {
        let kinked = [.relu, .leakyReLU(slope: 0.1), .prelu(initialSlope: 0.25)].contains(activation)
        let error = try check([.dense(units: 4), .activation(activation), .dense(units: 3)], step: kinked ? 1e-3 : 5e-3)
        #expect(error < (kinked ? Self.kinkedTolerance : Self.tolerance))
    }

    @Test func preluSlopesGetGradients() throws {
        let network = try Network(inputWidth: 4, layers: [.dense(units: 6), .activation(.prelu(initialSlope: 0.25)), .dense(units: 3)])
        let objective = NetworkObjective(network: network)
        var rng = RandomStream(seed: 5)
        let weights = network.initialWeights(.heNormal, rng: &rng)
        let batch = randomClassification(count: 16, features: 4, classes: 3, seed: 5)
        let slopes = Array(network.layouts[1].parameterOffset..<(network.layouts[1].parameterOffset + 6))
        let (_, gradient) = try objective.lossAndGradient(at: weights, on: batch, rng: &rng)
        #expect(slopes.contains { gradient[$0] != 0 }, "PReLU slopes must receive a gradient")
        #expect(try GradientCheck(objective: objective, batch: batch, step: 1e-3).relativeError(at: weights, coordinates: slopes) < Self.kinkedTolerance)
    }

    @Test func batchNormInTrainingMode() throws {
        #expect(try check([.dense(units: 4), .batchNorm, .activation(.tanh), .dense(units: 3)]) < Self.tolerance)
    }

    @Test func dropoutWithAFrozenMask() throws {
        #expect(try check([.dense(units: 8), .activation(.tanh), .dropout(rate: 0.5), .dense(units: 3)]) < Self.tolerance)
    }

    @Test func meanSquaredError() throws {
        #expect(try check([.dense(units: 4), .activation(.tanh), .dense(units: 2)], loss: .meanSquaredError, outputs: 2) < Self.tolerance)
    }

    @Test func binaryCrossEntropy() throws {
        #expect(try check([.dense(units: 4), .activation(.sigmoid), .dense(units: 1)], loss: .binaryCrossEntropy, outputs: 1) < Self.tolerance)
    }

    @Test func l1AndL2Penalties() throws {
        let layers: [Layer] = [.dense(units: 4), .activation(.tanh), .dense(units: 3)]
        #expect(try check(layers, regularizer: try Regularizer(l1: 0.05)) < Self.tolerance)
        #expect(try check(layers, regularizer: try Regularizer(l2: 0.3)) < Self.tolerance)
        #expect(try check(layers, regularizer: try Regularizer(l1: 0.02, l2: 0.1)) < Self.tolerance)
    }

    @Test func penaltyValueMatchesItsFormula() throws {
        let network = try Network(inputWidth: 2, layers: [.dense(units: 1)])
        let plain = NetworkObjective(network: network, loss: .meanSquaredError)
        let penalized = NetworkObjective(network: network, loss: .meanSquaredError, regularizer: try Regularizer(l1: 0.5, l2: 2))
        let batch = Samples(features: [1, 2], featureCount: 2, targets: [0], targetWidth: 1)
        let weights: [Float] = [0.5, -1.5, 0.25]  // two weights, then the bias (not penalized)
        let expected = 0.5 * (0.5 + 1.5) + 2 / 2 * (0.25 + 2.25)
        let difference = try penalized.loss(at: weights, on: batch) - plain.loss(at: weights, on: batch)
        #expect(abs(difference - Float(expected)) < 1e-5)
    }

    /// ReLU's kink falls inside the five-point stencil's 4h for some pre-activation of this
    /// fixture, so the network is checked with the kink-aware central check of the convolution
    /// tests instead.
    @Test func threeLayerNetwork() throws {
        let network = try Network(inputWidth: 7, layers: [.dense(units: 6), .activation(.relu), .dense(units: 5), .activation(.gelu), .dense(units: 4)])
        var rng = RandomStream(seed: 11)
        var weights = network.initialWeights(.heNormal, rng: &rng)
        for i in weights.indices where weights[i] == 0 { weights[i] = rng.uniform(-0.3, 0.3) }
        var check = CoordinateGradientCheck(objective: NetworkObjective(network: network), batch: randomClassification(count: 7, features: 7, classes: 4, seed: 11))
        (check.step, check.floor) = (ConvolutionGradientTests.kinked.step, ConvolutionGradientTests.kinked.floor)
        let (worst, kinkedShare) = try check.measure(at: weights, allowingKinks: true)
        #expect(worst < ConvolutionGradientTests.tolerance)
        #expect(kinkedShare <= ConvolutionGradientTests.kinked.maximumShare)
    }

    @Test func gradientIsAveragedAcrossChunks() throws {
        // A batch larger than the chunk size must give the same gradient as one pass.
        let network = try Network.perceptron(inputs: 3, hidden: [5], outputs: 2, activation: .tanh)
        let whole = NetworkObjective(network: network)
        let chunked = NetworkObjective(network: network, chunkSize: 4)
        var rng = RandomStream(seed: 8)
        let weights = network.initialWeights(.xavierUniform, rng: &rng)
        let batch = randomClassification(count: 10, features: 3, classes: 2, seed: 8)
        let a = try whole.lossAndGradient(at: weights, on: batch, rng: &rng)
        let b = try chunked.lossAndGradient(at: weights, on: batch, rng: &rng)
        #expect(isApproximatelyEqual(a.loss, b.loss, absolute: 1e-6))
        for i in weights.indices { #expect(isApproximatelyEqual(a.gradient[i], b.gradient[i], absolute: 1e-6)) }
    }
}
