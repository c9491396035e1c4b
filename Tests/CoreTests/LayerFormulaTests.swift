import Foundation
import Testing
@testable import WeightLabCore

/// Behaviour that only a formula catches, each value computed here from the layer's definition.
@Suite struct LayerFormulaTests {
    /// One forward pass of `network` over `rows` samples; returns the first layer's output (a
    /// network needs a dense layer, so the layer under test comes first, a dense one after it).
    func forward(_ network: Network, weights: [Float], input: [Float], rows: Int, mode: PassMode, statistics: inout [Float], seed: UInt64 = 1) -> [Float] {
        let workspace = Workspace(network: network, capacity: rows)
        var rng = RandomStream(seed: seed)
        return weights.withUnsafeBufferPointer { w in
            input.withUnsafeBufferPointer { x in
                statistics.withUnsafeMutableBufferPointer { s in
                    network.forward(weights: w.baseAddress!, input: x.baseAddress!, rows: rows, workspace: workspace, mode: mode, statistics: s.baseAddress, rng: &rng)
                    return Array(UnsafeBufferPointer(start: workspace.outputs[0], count: rows * network.layouts[0].outputWidth))
                }
            }
        }
    }

    /// ELU with α = 2.5 (Clevert et al., 2016): y = x for x > 0, α(eˣ − 1) below, and
    /// dy/dx = 1 above, αeˣ below (not eˣ, which α = 1 could not tell apart).
    @Test func eluWithAlphaOtherThanOne() {
        let alpha: Float = 2.5
        let x: [Float] = [-1.3, -0.2, 0.4, 2]
        var y = [Float](repeating: 0, count: 4)
        Activation.elu(alpha: alpha).forward(x, &y, count: 4, width: 4, slopes: nil)
        var dy: [Float] = [1, 1, 1, 1]
        Activation.elu(alpha: alpha).backward(x, y, &dy, count: 4, width: 4, slopes: nil, slopeGradient: nil)
        for i in 0..<4 {
            let value = x[i] > 0 ? x[i] : alpha * (expf(x[i]) - 1)
            let slope = x[i] > 0 ? 1 : alpha * expf(x[i])
            #expect(abs(y[i] - value) <= 1e-6 * max(1, abs(value)), "y at \(x[i])")
            #expect(abs(dy[i] - slope) <= 1e-6 * max(1, abs(slope)), "dy/dx at \(x[i])")
        }
    }

    /// Inverted dropout at rate 0.3: in training about 30 % of units are zeroed and the others
    /// scaled by exactly 1/(1 − 0.3); in inference the layer is the identity.
    @Test func dropoutDropsAtItsRateScalesTheSurvivorsAndIsOffInInference() throws {
        let width = 20_000
        let network = try Network(inputWidth: width, layers: [.dropout(rate: 0.3), .dense(units: 1)])
        let input = (0..<width).map { Float($0 % 7) + 1 }
        var none: [Float] = []
        let zeros = [Float](repeating: 0, count: network.parameterCount)
        let trained = forward(network, weights: zeros, input: input, rows: 1, mode: .training, statistics: &none)
        let dropped = trained.filter { $0 == 0 }.count
        // Binomial(20,000, 0.3): standard deviation 65 drops; 5 of them is 325.
        #expect(abs(dropped - 6000) < 325, "\(dropped) of \(width) dropped")
        let scale: Float = 1 / (1 - 0.3)
        #expect(zip(trained, input).allSatisfy { $0 == 0 || $0 == $1 * scale }, "survivors are x / (1 − p)")
        #expect(forward(network, weights: zeros, input: input, rows: 1, mode: .inference, statistics: &none) == input)
        #expect(forward(network, weights: zeros, input: input, rows: 1, mode: .batchStatistics, statistics: &none) == input)
    }

    /// Batch norm with momentum 0.2 (PyTorch's convention): a training pass normalizes with the
    /// batch mean and the biased variance, and moves the running mean to 0.8·0 + 0.2·μ and the
    /// running variance to 0.8·1 + 0.2·s², s² the unbiased variance; inference then uses them.
    @Test func batchNormRunningStatisticsAndInference() throws {
        let network = try Network(inputWidth: 2, layers: [.batchNorm(momentum: 0.2, epsilon: 1e-5), .dense(units: 1)])
        let gamma: [Float] = [1.5, 0.5], beta: [Float] = [0.25, -1]
        let weights = gamma + beta + [0, 0, 0]
        let x: [Float] = [1, 10, 2, 20, 4, 30, 9, 60]  // 4 rows × 2 units
        var statistics = network.initialStatistics()
        #expect(statistics == [0, 0, 1, 1])
        let y = forward(network, weights: weights, input: x, rows: 4, mode: .training, statistics: &statistics)
        for j in 0..<2 {
            let column = (0..<4).map { Double(x[2 * $0 + j]) }
            let mean = column.reduce(0, +) / 4
            let squares = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            let biased = squares / 4, unbiased = squares / 3
            for r in 0..<4 {
                let expected = Double(gamma[j]) * (column[r] - mean) / (biased + 1e-5).squareRoot() + Double(beta[j])
                #expect(abs(Double(y[2 * r + j]) - expected) < 1e-5 * max(1, abs(expected)), "training output \(r), \(j)")
            }
            #expect(abs(Double(statistics[j]) - 0.2 * mean) < 1e-5 * max(1, mean), "running mean \(j)")
            #expect(abs(Double(statistics[2 + j]) - (0.8 + 0.2 * unbiased)) < 1e-5 * (0.8 + 0.2 * unbiased), "running variance \(j)")
        }
        let running = statistics
        let inferred = forward(network, weights: weights, input: x, rows: 4, mode: .inference, statistics: &statistics)
        #expect(statistics == running, "inference leaves the running statistics alone")
        for r in 0..<4 {
            for j in 0..<2 {
                let expected = Double(gamma[j]) * (Double(x[2 * r + j]) - Double(running[j])) / (Double(running[2 + j]) + 1e-5).squareRoot() + Double(beta[j])
                #expect(abs(Double(inferred[2 * r + j]) - expected) < 1e-5 * max(1, abs(expected)), "inference output \(r), \(j)")
            }
        }
    }

    /// On a 400 → 100 layer Xavier-normal has variance 2/(400 + 100) = 0.004 and LeCun-normal
    /// 1/400 = 0.0025 (Xavier-uniform: limit √(6/500)); a square layer could not tell them apart.
    @Test func xavierAndLeCunDifferOnANonSquareLayer() throws {
        let network = try Network(inputWidth: 400, layers: [.dense(units: 100)])
        func variance(_ initializer: Initializer) -> (variance: Double, largest: Float) {
            var rng = RandomStream(seed: 3)
            let weights = Array(network.initialWeights(initializer, rng: &rng).prefix(400 * 100))
            return (weights.map { Double($0) * Double($0) }.reduce(0, +) / Double(weights.count), weights.map(abs).max() ?? 0)
        }
        // 40,000 draws: the sample variance is within 1.5 % (about 2 standard errors).
        #expect(abs(variance(.xavierNormal).variance / 0.004 - 1) < 0.015)
        #expect(abs(variance(.lecunNormal).variance / 0.0025 - 1) < 0.015)
        #expect(abs(variance(.heNormal).variance / 0.005 - 1) < 0.015)
        let limit = (6.0 / 500).squareRoot()
        let uniform = variance(.xavierUniform)
        #expect(abs(uniform.variance / (limit * limit / 3) - 1) < 0.015)
        #expect(Double(uniform.largest) <= limit && Double(uniform.largest) > 0.99 * limit)
    }
}
