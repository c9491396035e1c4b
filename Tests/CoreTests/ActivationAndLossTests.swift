import Foundation
import Testing
@testable import WeightLabCore
import WeightLabTestSupport

@Suite struct ActivationAndLossTests {
    static let all: [Activation] = [
        .sigmoid, .tanh, .relu, .leakyReLU(slope: 0.01), .elu(alpha: 1), .prelu(initialSlope: 0.25),
        .swish(beta: 1), .gelu, .geluTanh,
    ]

    @Test(arguments: all)
    func finiteAtLargeInputs(_ activation: Activation) {
        let x: [Float] = [-100, -50, 50, 100]
        var y = [Float](repeating: .nan, count: 4)
        var dx: [Float] = [1, 1, 1, 1]  // ∂L/∂y, turned into ∂L/∂x in place
        let slopes: [Float] = [0.25, 0.25, 0.25, 0.25]
        var slopeGradient: [Float] = [0, 0, 0, 0]
        activation.forward(x, &y, count: 4, width: 4, slopes: slopes)
        activation.backward(x, y, &dx, count: 4, width: 4, slopes: slopes, slopeGradient: &slopeGradient)
        #expect(y.allSatisfy { $0.isFinite }, "\(activation) forward at ±100: \(y)")
        #expect(dx.allSatisfy { $0.isFinite }, "\(activation) backward at ±100: \(dx)")
    }

    @Test func valuesMatchTheirFormulas() {
        func apply(_ a: Activation, _ v: Float) -> Float {
            var y: [Float] = [0]
            a.forward([v], &y, count: 1, width: 1, slopes: [0.25])
            return y[0]
        }
        #expect(abs(apply(.sigmoid, 2) - 1 / (1 + exp(-2))) < 1e-6)
        #expect(apply(.sigmoid, -100) >= 0 && apply(.sigmoid, -100) < 1e-30)
        #expect(apply(.sigmoid, 100) == 1)
        #expect(apply(.relu, -3) == 0 && apply(.relu, 3) == 3)
        #expect(apply(.leakyReLU(slope: 0.1), -2) == -0.2)
        #expect(abs(apply(.elu(alpha: 2), -1) - 2 * (exp(-1) - 1)) < 1e-6)
        #expect(apply(.prelu(initialSlope: 0.25), -4) == -1)
        #expect(abs(apply(.swish(beta: 1), 1.5) - 1.5 / (1 + exp(-1.5))) < 1e-6)
        #expect(abs(apply(.gelu, 1) - 0.8413447) < 1e-5)  // Φ(1) = 0.8413447
        #expect(abs(apply(.geluTanh, 1) - 0.8411920) < 1e-5)
        #expect(abs(apply(.gelu, 3) - apply(.geluTanh, 3)) < 1e-3)
    }

    @Test func parsesNamesAndRejectsUnknownOnes() throws {
        #expect(try Activation(parsing: "leaky-relu:0.2") == .leakyReLU(slope: 0.2))
        #expect(try Activation(parsing: "silu") == .swish(beta: 1))
        #expect(try Activation(parsing: "ELU") == .elu(alpha: 1))
        #expect(throws: WeightLabError.self) { try Activation(parsing: "softsign") }
        #expect(throws: WeightLabError.self) { try Activation(parsing: "elu:abc") }
    }

    @Test func crossEntropyIsStableForHugeLogits() throws {
        let network = try Network(inputWidth: 1, layers: [.dense(units: 3)])
        let objective = NetworkObjective(network: network)
        // Weights make logits (1000, −1000, 0) for input 1; label 1 is maximally wrong.
        let weights: [Float] = [1000, -1000, 0, 0, 0, 0]
        let batch = Samples(features: [1], featureCount: 1, labels: [1])
        let loss = try objective.loss(at: weights, on: batch)
        #expect(isApproximatelyEqual(loss, 2000, absolute: 0.01))
        var rng = RandomStream(seed: 1)
        let (_, g) = try objective.lossAndGradient(at: weights, on: batch, rng: &rng)
        #expect(g.allSatisfy { $0.isFinite })
        #expect(abs(g[0] - 1) < 1e-6 && abs(g[1] + 1) < 1e-6)
    }

    @Test func crossEntropyValueByHand() throws {
        let network = try Network(inputWidth: 1, layers: [.dense(units: 3)])
        let objective = NetworkObjective(network: network)
        let weights: [Float] = [1, 2, 3, 0, 0, 0]
        let batch = Samples(features: [1, 1], featureCount: 1, labels: [0, 2])
        let logSum = log(exp(1.0) + exp(2.0) + exp(3.0))
        let expected = ((logSum - 1) + (logSum - 3)) / 2
        #expect(abs(Double(try objective.loss(at: weights, on: batch)) - expected) < 1e-5)
        let evaluation = try objective.evaluate(weights, on: batch)
        #expect(evaluation.accuracy == 0.5)
    }

    @Test func binaryCrossEntropyIsStable() throws {
        let network = try Network(inputWidth: 1, layers: [.dense(units: 1)])
        let objective = NetworkObjective(network: network, loss: .binaryCrossEntropy)
        let batch = Samples(features: [1, 1], featureCount: 1, labels: [0, 1])
        // Logit 100 for both: label 0 costs 100, label 1 costs log(1 + e^-100) ≈ 0.
        let loss = try objective.loss(at: [100, 0], on: batch)
        #expect(isApproximatelyEqual(loss, 50, absolute: 1e-4))
    }

    @Test func meanSquaredErrorByHand() throws {
        let network = try Network(inputWidth: 1, layers: [.dense(units: 2)])
        let objective = NetworkObjective(network: network, loss: .meanSquaredError)
        let batch = Samples(features: [2], featureCount: 1, targets: [1, 1], targetWidth: 2)
        // Outputs (2·1 + 0, 2·3 + 1) = (2, 7); errors 1 and 6; mean over outputs (1 + 36)/2.
        #expect(try objective.loss(at: [1, 3, 0, 1], on: batch) == 18.5)
        #expect(try objective.evaluate([1, 3, 0, 1], on: batch).accuracy == nil)
    }
}
