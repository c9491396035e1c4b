import Testing
@testable import WeightLabCore

/// Central finite differences against an analytic gradient, compared coordinate by coordinate:
/// |numeric − analytic| ≤ tolerance · max(|analytic|, floor). Unlike a tolerance relative to the
/// gradient's largest entry, a wrong small coordinate (a dropped bias term, a transposed kernel
/// index) fails too; the floor (1e-2, with a step of 1e-2 on smooth networks) keeps Float32
/// rounding of the loss, about 1e-6 of it per evaluation, from failing coordinates near zero.
struct CoordinateGradientCheck {
    let objective: any Objective
    let batch: Samples
    var step: Float = 1e-2
    var floor: Float = 1e-2

    /// The analytic gradient at `weights` (dropout masks frozen by one fixed stream).
    func analytic(at weights: [Float]) throws -> [Float] {
        var gradient = [Float]()
        var stream = RandomStream(seed: 99)
        _ = try objective.lossAndGradient(at: weights, on: batch, into: &gradient, rng: &stream)
        return gradient
    }

    /// The largest |numeric − g| / max(|g|, floor) over the coordinates, for `gradient` (the
    /// objective's own unless given, so a planted error can be checked).
    ///
    /// With `allowingKinks`, the error a kink inside the step causes (a max-pool window's argmax
    /// or a ReLU changing sides) is allowed for. With one kink in [w − h, w + h] the central
    /// difference is off by exactly half the gap between the one-sided differences,
    /// |f(w+h) − 2f(w) + f(w−h)| / 2h; that gap depends on the loss alone, so no wrong analytic
    /// gradient hides behind it. Each coordinate is measured at h and h/2 and the better kept,
    /// since two kinks rarely lie inside both steps, while a wrong gradient is wrong at both.
    /// `kinkedShare` counts the coordinates whose allowance exceeded the tolerance itself, so a
    /// test can bound how much of the check was loosened.
    func measure(at weights: [Float], gradient given: [Float]? = nil, allowingKinks: Bool = false, tolerance: Float = 1e-2) throws -> (worst: Float, kinkedShare: Double) {
        let gradient = try given ?? analytic(at: weights)
        var worst: Float = 0
        var kinked = 0
        var kinkedHere = false
        var scratch = [Float]()
        func loss(_ point: [Float]) throws -> Double {
            var stream = RandomStream(seed: 99)
            return Double(try objective.lossAndGradient(at: point, on: batch, into: &scratch, rng: &stream))
        }
        let f0 = try loss(weights)
        for i in weights.indices {
            let scale = max(abs(gradient[i]), floor)
            var best = Float.infinity
            for h in allowingKinks ? [step, step / 2] : [step] {
                var plus = weights
                var minus = weights
                plus[i] += h
                minus[i] -= h
                let (fPlus, fMinus) = (try loss(plus), try loss(minus))
                let allowance = allowingKinks ? Float(abs(fPlus - 2 * f0 + fMinus) / Double(2 * h)) : 0
                let numeric = Float((fPlus - fMinus) / Double(2 * h))
                let ratio = max(0, abs(numeric - gradient[i]) - allowance) / scale
                if ratio < best { (best, kinkedHere) = (ratio, allowance > tolerance * scale) }
            }
            if kinkedHere { kinked += 1 }
            worst = max(worst, best)
        }
        return (worst, Double(kinked) / Double(weights.count))
    }

    /// `measure`'s worst ratio alone, for the smooth checks.
    func worstRatio(at weights: [Float], gradient: [Float]? = nil) throws -> Float {
        try measure(at: weights, gradient: gradient).worst
    }
}

/// A network on images of `shape` with `layers` then a dense output to 3 classes, its objective,
/// random weights (biases, shifts and slopes off their starting values) and a batch of 6 images.
struct ImageNetworkFixture {
    let network: Network
    let objective: NetworkObjective
    var weights: [Float]
    let batch: Samples

    init(_ shape: ImageShape, _ layers: [Layer], classes: Int = 3, count: Int = 6, seed: UInt64 = 1, regularizer: Regularizer = .none) throws {
        network = try Network(inputWidth: shape.count, layers: layers + [.dense(units: classes)], imageShape: shape)
        objective = NetworkObjective(network: network, regularizer: regularizer)
        var rng = RandomStream(seed: seed)
        weights = network.initialWeights(.xavierNormal, rng: &rng)
        for i in weights.indices where weights[i] == 0 || weights[i] == 1 { weights[i] += rng.uniform(-0.3, 0.3) }
        batch = randomClassification(count: count, features: shape.count, classes: classes, seed: seed + 10)
    }

    /// The slice of `layer`'s parameters in the flat buffer.
    func parameters(of layer: Int) -> Range<Int> {
        let layout = network.layouts[layer]
        return layout.parameterOffset..<(layout.parameterOffset + layout.parameterCount)
    }
}

@Suite struct ConvolutionGradientTests {
    static let tolerance: Float = 1e-2

    /// Layers with kinks (max pooling, ReLU, PReLU) are checked at a step of 1e-3, where a kink
    /// rarely falls inside the step, with a floor of 3e-2 for the Float rounding that step lets
    /// in, and at most a tenth of their coordinates loosened by the kink allowance (16 random
    /// max-pooling fixtures showed at most 6 %, and worst ratios of at most 0.0026).
    static let kinked = (step: Float(1e-3), floor: Float(3e-2), maximumShare: 0.1)

    func worst(_ shape: ImageShape, _ layers: [Layer], seed: UInt64 = 1, kinks: Bool = false) throws -> Float {
        let fixture = try ImageNetworkFixture(shape, layers, seed: seed)
        var check = CoordinateGradientCheck(objective: fixture.objective, batch: fixture.batch)
        if kinks { (check.step, check.floor) = (Self.kinked.step, Self.kinked.floor) }
        let (worst, kinkedShare) = try check.measure(at: fixture.weights, allowingKinks: kinks, tolerance: Self.tolerance)
        #expect(kinkedShare <= Self.kinked.maximumShare, "seed \(seed): \(kinkedShare) of the coordinates loosened by a kink")
        return worst
    }

    @Test(arguments: [
        Convolution(filters: 3, kernel: 3, stride: 1, padding: .same),
        Convolution(filters: 2, kernel: 3, stride: 1, padding: .valid),
        Convolution(filters: 3, kernel: 3, stride: 2, padding: .same),
        Convolution(filters: 2, kernelHeight: 3, kernelWidth: 2, stride: 2, padding: .valid),
        Convolution(filters: 4, kernel: 2, stride: 2, padding: .zeros(1)),
    ])
    func convolution(_ convolution: Convolution) throws {
        let ratio = try worst(ImageShape(height: 6, width: 5, channels: 2), [.convolution(convolution), .activation(.tanh)])
        #expect(ratio < Self.tolerance, "\(convolution)")
    }

    @Test func convolutionOnThreeChannelsAfterAConvolution() throws {
        let layers: [Layer] = [
            .convolution(Convolution(filters: 4, kernel: 3, padding: .same)), .activation(.tanh),
            .convolution(Convolution(filters: 3, kernel: 2, stride: 2)), .activation(.tanh),
        ]
        #expect(try worst(ImageShape(height: 5, width: 6, channels: 3), layers) < Self.tolerance)
    }

    @Test(arguments: [Pooling(.max, window: 2), Pooling(.average, window: 2), Pooling(.max, window: 3, stride: 2), Pooling(.average, window: 3, stride: 1)])
    func pooling(_ pooling: Pooling) throws {
        let layers: [Layer] = [.convolution(Convolution(filters: 3, kernel: 2)), .activation(.tanh), .pooling(pooling)]
        for seed: UInt64 in 1...8 {
            let ratio = try worst(ImageShape(height: 7, width: 7, channels: 2), layers, seed: seed, kinks: pooling.kind == .max)
            #expect(ratio < Self.tolerance, "\(pooling), seed \(seed)")
        }
    }

    /// The kink allowance does not hide a wrong gradient: one scaled by 1.5 in its largest
    /// coordinate, or by 1.1 in all of them, still fails the max-pooling check.
    @Test func kinkAllowanceStillCatchesAPlantedError() throws {
        let layers: [Layer] = [.convolution(Convolution(filters: 3, kernel: 2)), .activation(.tanh), .pooling(Pooling(.max, window: 2))]
        let fixture = try ImageNetworkFixture(ImageShape(height: 7, width: 7, channels: 2), layers)
        var check = CoordinateGradientCheck(objective: fixture.objective, batch: fixture.batch)
        (check.step, check.floor) = (Self.kinked.step, Self.kinked.floor)
        let correct = try check.analytic(at: fixture.weights)
        var oneWrong = correct
        let largest = correct.indices.max { abs(correct[$0]) < abs(correct[$1]) } ?? 0
        oneWrong[largest] *= 1.5
        #expect(try check.measure(at: fixture.weights, gradient: oneWrong, allowingKinks: true).worst > 10 * Self.tolerance)
        let allWrong = correct.map { 1.1 * $0 }
        #expect(try check.measure(at: fixture.weights, gradient: allWrong, allowingKinks: true).worst > 5 * Self.tolerance)
    }

    /// L1 and L2 penalize convolution kernels as dense weights, not biases.
    @Test func penaltiesCoverKernelsNotBiases() throws {
        let layers: [Layer] = [.convolution(Convolution(filters: 2, kernel: 3)), .activation(.tanh)]
        let shape = ImageShape(height: 4, width: 4, channels: 1)
        let plain = try ImageNetworkFixture(shape, layers)
        let penalized = try ImageNetworkFixture(shape, layers, regularizer: try Regularizer(l2: 0.5))
        let g0 = try CoordinateGradientCheck(objective: plain.objective, batch: plain.batch).analytic(at: plain.weights)
        let g1 = try CoordinateGradientCheck(objective: penalized.objective, batch: penalized.batch).analytic(at: plain.weights)
        for i in 0..<18 { #expect(abs(g1[i] - g0[i] - 0.5 * plain.weights[i]) < 1e-6, "kernel weight \(i)") }
        for i in 18..<20 { #expect(g1[i] == g0[i], "bias \(i)") }
        #expect(try CoordinateGradientCheck(objective: penalized.objective, batch: penalized.batch).worstRatio(at: plain.weights) < Self.tolerance)
    }

    @Test func globalAveragePooling() throws {
        let layers: [Layer] = [.convolution(Convolution(filters: 4, kernel: 3, padding: .same)), .activation(.tanh), .globalAveragePooling]
        #expect(try worst(ImageShape(height: 5, width: 5, channels: 2), layers) < Self.tolerance)
    }

    @Test func batchNormOverChannelsInTraining() throws {
        let layers: [Layer] = [.convolution(Convolution(filters: 3, kernel: 3)), .batchNorm, .activation(.tanh)]
        let fixture = try ImageNetworkFixture(ImageShape(height: 5, width: 5, channels: 2), layers)
        #expect(fixture.network.layouts[1].parameterCount == 6, "γ and β per channel")
        #expect(fixture.network.statisticsCount == 6)
        #expect(try CoordinateGradientCheck(objective: fixture.objective, batch: fixture.batch).worstRatio(at: fixture.weights) < Self.tolerance)
    }

    @Test func preluSlopesPerChannel() throws {
        let layers: [Layer] = [.convolution(Convolution(filters: 3, kernel: 2)), .activation(.prelu(initialSlope: 0.25))]
        let fixture = try ImageNetworkFixture(ImageShape(height: 4, width: 4, channels: 2), layers)
        #expect(fixture.network.layouts[1].parameterCount == 3, "one slope per channel")
        let gradient = try CoordinateGradientCheck(objective: fixture.objective, batch: fixture.batch).analytic(at: fixture.weights)
        #expect(fixture.parameters(of: 1).allSatisfy { gradient[$0] != 0 })
        #expect(try worst(ImageShape(height: 4, width: 4, channels: 2), layers, kinks: true) < Self.tolerance)
    }

    @Test func dropoutOnFeatureMapsWithAFrozenMask() throws {
        let layers: [Layer] = [.convolution(Convolution(filters: 3, kernel: 2)), .activation(.tanh), .dropout(rate: 0.3)]
        #expect(try worst(ImageShape(height: 4, width: 4, channels: 2), layers) < Self.tolerance)
    }

    @Test func wholeSmallNetwork() throws {
        let layers: [Layer] = [
            .convolution(Convolution(filters: 4, kernel: 3, padding: .zeros(1))), .activation(.relu), .pooling(Pooling(.max, window: 2)),
            .convolution(Convolution(filters: 5, kernel: 3, stride: 1, padding: .same)), .activation(.gelu),
            .pooling(Pooling(.average, window: 2)), .dense(units: 6), .activation(.tanh),
        ]
        for seed: UInt64 in 1...4 { #expect(try worst(ImageShape(height: 8, width: 8, channels: 2), layers, seed: seed, kinks: true) < Self.tolerance, "seed \(seed)") }
    }

    /// The check has teeth: a kernel gradient with kh and kw swapped, or without its bias term,
    /// fails it, though the swapped one keeps every value and the gradient's largest entry.
    @Test func plantedErrorsFailTheCheck() throws {
        let shape = ImageShape(height: 5, width: 5, channels: 2)
        let convolution = Convolution(filters: 3, kernel: 3, padding: .same)
        let fixture = try ImageNetworkFixture(shape, [.convolution(convolution), .activation(.tanh)])
        let check = CoordinateGradientCheck(objective: fixture.objective, batch: fixture.batch)
        let gradient = try check.analytic(at: fixture.weights)
        #expect(try check.worstRatio(at: fixture.weights, gradient: gradient) < Self.tolerance)

        var transposed = gradient
        for kh in 0..<3 {
            for kw in 0..<3 {
                for c in 0..<2 {
                    for f in 0..<3 { transposed[((kh * 3 + kw) * 2 + c) * 3 + f] = gradient[((kw * 3 + kh) * 2 + c) * 3 + f] }
                }
            }
        }
        #expect(try check.worstRatio(at: fixture.weights, gradient: transposed) > 10 * Self.tolerance)

        var withoutBias = gradient
        for f in 0..<3 { withoutBias[18 * 3 + f] = 0 }
        #expect(try check.worstRatio(at: fixture.weights, gradient: withoutBias) > 10 * Self.tolerance)
        // Channel batch norm: γ's gradients of two channels swapped (the two that differ most, so
        // the swap changes the gradient), or β's left out.
        let normalized = try ImageNetworkFixture(shape, [.convolution(convolution), .batchNorm, .activation(.tanh)])
        let normalizedCheck = CoordinateGradientCheck(objective: normalized.objective, batch: normalized.batch)
        let correct = try normalizedCheck.analytic(at: normalized.weights)
        let gamma = normalized.parameters(of: 1).lowerBound
        let channelPairs = [(0, 1), (0, 2), (1, 2)].map { (gamma + $0.0, gamma + $0.1) }
        let (a, b) = channelPairs.max { abs(correct[$0.0] - correct[$0.1]) < abs(correct[$1.0] - correct[$1.1]) } ?? (gamma, gamma + 1)
        var swapped = correct
        swapped.swapAt(a, b)
        #expect(try normalizedCheck.worstRatio(at: normalized.weights, gradient: swapped) > 10 * Self.tolerance)
        var withoutShift = correct
        for c in 0..<3 { withoutShift[gamma + 3 + c] = 0 }
        #expect(try normalizedCheck.worstRatio(at: normalized.weights, gradient: withoutShift) > 10 * Self.tolerance)
    }
}
