import Testing
@testable import WeightLabCore

/// The gradient check can fail: for every layer family a planted error, small enough that the
/// former check (absolute, relative to max(1, ‖g‖∞), at 3e-3) passed some of them, exceeds the
/// per-coordinate tolerance.
@Suite struct GradientCheckPlantedErrorTests {
    /// `base`'s loss and gradient, with the gradient of the coordinates in `range` scaled by 1 + δ.
    final class MisstatedGradient: Objective, @unchecked Sendable {
        let base: NetworkObjective
        let range: Range<Int>
        let delta: Float
        init(_ base: NetworkObjective, range: Range<Int>, delta: Float) {
            self.base = base
            self.range = range
            self.delta = delta
        }
        var dimension: Int { base.dimension }
        var ledger: CostLedger { base.ledger }
        var providesGradient: Bool { true }
        func loss(at weights: [Float], on batch: Samples) throws -> Float { try base.loss(at: weights, on: batch) }
        func lossAndGradient(at weights: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float {
            let loss = try base.lossAndGradient(at: weights, on: batch, into: &gradient, rng: &rng)
            for i in range { gradient[i] *= 1 + delta }
            return loss
        }
    }

    struct Setup {
        let network: Network
        let weights: [Float]
        let batch: Samples
    }

    func setup(_ layers: [Layer]) throws -> Setup {
        let network = try Network(inputWidth: 5, layers: layers)
        var rng = RandomStream(seed: 1)
        var weights = network.initialWeights(.xavierNormal, rng: &rng)
        for i in weights.indices where weights[i] == 0 { weights[i] = rng.uniform(-0.3, 0.3) }
        return Setup(network: network, weights: weights, batch: randomClassification(count: 7, features: 5, classes: 3, seed: 1))
    }

    func parameters(of layer: Int, in network: Network) -> Range<Int> {
        let layout = network.layouts[layer]
        return layout.parameterOffset..<(layout.parameterOffset + layout.parameterCount)
    }

    /// A 1 % error in one layer's gradient: dense weights and biases, batch norm's γ and β,
    /// PReLU's slopes.
    @Test(arguments: [
        ("dense", [Layer.dense(units: 4), .activation(.tanh), .dense(units: 3)], 0),
        ("output dense", [Layer.dense(units: 4), .activation(.tanh), .dense(units: 3)], 2),
        ("batch norm", [Layer.dense(units: 4), .batchNorm, .activation(.tanh), .dense(units: 3)], 1),
        ("prelu", [Layer.dense(units: 4), .activation(.prelu(initialSlope: 0.25)), .dense(units: 3)], 1),
    ])
    func aOnePercentErrorInOneLayerFails(_ name: String, _ layers: [Layer], _ layer: Int) throws {
        let s = try setup(layers)
        let honest = NetworkObjective(network: s.network)
        let planted = MisstatedGradient(honest, range: parameters(of: layer, in: s.network), delta: 0.01)
        let step: Float = name == "prelu" ? 1e-3 : 5e-3
        let tolerance = name == "prelu" ? NetworkGradientTests.kinkedTolerance : NetworkGradientTests.tolerance
        #expect(try GradientCheck(objective: honest, batch: s.batch, step: step).relativeError(at: s.weights) < tolerance, "\(name): honest")
        #expect(try GradientCheck(objective: planted, batch: s.batch, step: step).relativeError(at: s.weights) > tolerance, "\(name): planted")
    }

    /// A wrong derivative in an activation, a dropout scale, a loss or a penalty: the gradient
    /// of one objective against the differences of a slightly different one.
    @Test(arguments: [
        ("exact GELU with the tanh form's derivative", Activation.gelu, Activation.geluTanh),
        ("ELU α = 1 against α = 1.05", .elu(alpha: 1), .elu(alpha: 1.05)),
        ("swish β = 1 against β = 1.05", .swish(beta: 1), .swish(beta: 1.05)),
    ])
    func aWrongActivationDerivativeFails(_ name: String, _ analytic: Activation, _ differenced: Activation) throws {
        let s = try setup([.dense(units: 4), .activation(analytic), .dense(units: 3)])
        let other = try Network(inputWidth: 5, layers: [.dense(units: 4), .activation(differenced), .dense(units: 3)])
        var check = GradientCheck(objective: NetworkObjective(network: s.network), batch: s.batch)
        check.differenced = NetworkObjective(network: other)
        #expect(try check.relativeError(at: s.weights) > NetworkGradientTests.tolerance, "\(name)")
    }

    @Test func aWrongDropoutScaleLossOrPenaltyFails() throws {
        let dropout = try setup([.dense(units: 8), .activation(.tanh), .dropout(rate: 0.5), .dense(units: 3)])
        let lighter = try Network(inputWidth: 5, layers: [.dense(units: 8), .activation(.tanh), .dropout(rate: 0.49), .dense(units: 3)])
        var check = GradientCheck(objective: NetworkObjective(network: dropout.network), batch: dropout.batch)
        check.differenced = NetworkObjective(network: lighter)
        #expect(try check.relativeError(at: dropout.weights) > NetworkGradientTests.tolerance, "dropout 0.5 against 0.49")

        let plain = try setup([.dense(units: 4), .activation(.tanh), .dense(units: 3)])
        var penalty = GradientCheck(objective: NetworkObjective(network: plain.network, regularizer: try Regularizer(l2: 0.1)), batch: plain.batch)
        penalty.differenced = NetworkObjective(network: plain.network, regularizer: try Regularizer(l2: 0.102))
        #expect(try penalty.relativeError(at: plain.weights) > NetworkGradientTests.tolerance, "L2 0.1 against 0.102")
        let loss = MisstatedGradient(NetworkObjective(network: plain.network), range: 0..<plain.network.parameterCount, delta: 0.005)
        #expect(try GradientCheck(objective: loss, batch: plain.batch).relativeError(at: plain.weights) > NetworkGradientTests.tolerance, "the whole gradient 0.5 % off")
    }
}
