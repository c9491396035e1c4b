import Foundation
import Testing
import WeightLabCore
@testable import WeightLabGradient

/// Longer runs: momentum and Adam on an ill-conditioned quadratic, SGD training small networks.
@Suite struct ConvergenceTests {
    /// f(w) = ½(w − w*)ᵀA(w − w*) in 10 variables with eigenvalues 1, …, 1000 (log-spaced)
    /// in the basis of a Householder reflection H = I − 2vvᵀ/vᵀv, so A = H·diag(λ)·H is far
    /// from diagonal: condition number κ = 1000.
    static let illConditioned: QuadraticFunction = {
        let n = 10
        let eigenvalues = (0..<n).map { pow(1000, Double($0) / Double(n - 1)) }
        let v = (0..<n).map { Double($0 + 1) }
        let vv = v.reduce(0) { $0 + $1 * $1 }
        let h = (0..<n).map { i in (0..<n).map { j in (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv } }
        let a = (0..<n).map { i in (0..<n).map { j in (0..<n).reduce(0.0) { $0 + h[i][$1] * eigenvalues[$1] * h[$1][j] } } }
        return QuadraticFunction(matrix: a, minimizer: (0..<n).map { Double($0 % 3) - 1 })
    }()
    static let minimizer: [Double] = (0..<10).map { Double($0 % 3) - 1 }
    static let start = [Float](repeating: 2, count: 10)

    static func distance<O: WeightOptimizer>(after steps: Int, of optimizer: O) throws -> Double {
        let problem = try illConditioned.problem()
        var rng = RunState(rng: RandomStream(seed: 1))
        var state = try optimizer.start(problem, from: start, run: &rng)
        for _ in 0..<steps { _ = try optimizer.step(&state, problem, run: &rng) }
        return zip(optimizer.incumbent(state), minimizer).map { (Double($0) - $1) * (Double($0) - $1) }.reduce(0, +).squareRoot()
    }

    static let initialDistance = zip(start, minimizer).map { (Double($0) - $1) * (Double($0) - $1) }.reduce(0, +).squareRoot()

    /// Nesterov momentum with η = 1/L and μ = (√κ − 1)/(√κ + 1) contracts like (1 − 1/√κ)ᵗ:
    /// after 600 steps e^(−600/31.6) ≈ 6e-9 of the start distance in theory (1.3e-7 measured,
    /// the Float32 floor). Gradient descent with the same rate keeps (1 − 1/κ)⁶⁰⁰ ≈ 0.55 of
    /// the slowest component.
    @Test func nesterovBeatsTheConditionNumber() throws {
        let momentum = Float((1000.0.squareRoot() - 1) / (1000.0.squareRoot() + 1))
        let nesterov = try Self.distance(after: 600, of: SGD(learningRate: 1e-3, momentum: momentum, nesterov: true))
        let plain = try Self.distance(after: 600, of: SGD(learningRate: 1e-3))
        #expect(nesterov <= 1e-5 * Self.initialDistance)
        #expect(plain >= 0.1 * Self.initialDistance)
    }

    /// Adam with η = 0.2 reaches the minimizer of the rotated quadratic to 1e-4 of the start
    /// distance in 1000 steps (3e-6 measured).
    @Test func adamConvergesOnTheIllConditionedQuadratic() throws {
        let adam = try Self.distance(after: 1000, of: Adam(learningRate: 0.2))
        #expect(adam <= 1e-4 * Self.initialDistance)
    }

    static func train<O: WeightOptimizer>(_ optimizer: O, hidden: [Int], on training: Samples, batchSize: Int, steps: Int, seed: UInt64) throws -> (NetworkObjective, [Float]) {
        let network = try Network.perceptron(inputs: 2, hidden: hidden, outputs: 2, activation: .tanh)
        let objective = NetworkObjective(network: network)
        var rng = RunState(rng: RandomStream(seed: seed))
        let problem = try Problem(objective: objective, training: training, batchSize: batchSize, rng: rng.rng.fork()) { rng in
            network.initialWeights(.xavierUniform, rng: &rng)
        }
        var state = try optimizer.start(problem, from: problem.sampleWeights(&rng.rng), run: &rng)
        for _ in 0..<steps { _ = try optimizer.step(&state, problem, run: &rng) }
        return (objective, optimizer.incumbent(state))
    }

    /// Stochastic gradient descent (one sample per step) learns XOR with a 2-4-2 tanh network.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func stochasticGradientDescentLearnsXOR(seed: UInt64) throws {
        let sgd = try RegistryTests.make(#"{"optimizer": "sgd", "learningRate": 0.1}"#)
        let (objective, weights) = try Self.train(sgd, hidden: [4], on: TinyData.xor, batchSize: 1, steps: 2000, seed: seed)
        #expect(try objective.evaluate(weights, on: TinyData.xor).accuracy == 1)
    }

    /// Mini-batch SGD (batches of 16, 40 epochs) separates two moons: ≥ 97% on held-out points
    /// (99.5% measured).
    @Test func miniBatchSGDSeparatesTwoMoons() throws {
        var data = RandomStream(seed: 42)
        let training = TinyData.moons(count: 400, noise: 0.1, rng: &data)
        let test = TinyData.moons(count: 400, noise: 0.1, rng: &data)
        let sgd = try RegistryTests.make(#"{"optimizer": "sgd", "learningRate": 0.3}"#)
        let (objective, weights) = try Self.train(sgd, hidden: [16, 16], on: training, batchSize: 16, steps: 1000, seed: 1)
        #expect(try #require(objective.evaluate(weights, on: test).accuracy) >= 0.97)
    }
}
