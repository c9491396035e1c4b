import Foundation
import Testing
import WeightLabCore
@testable import WeightLabGradient

/// The first five steps of every first-order optimizer on `FiveSteps`' quadratic, against a
/// Double-precision transcription of PyTorch's documented algorithm box written out here.
@Suite struct FirstOrderStepTests {
    typealias Trajectory = [[Double]]

    // MARK: - References (the formulas of torch.optim, step t = 1…5)

    /// torch.optim.SGD: g += λw; b = g (t = 1) or μb + (1−τ)g; g = g + μb (Nesterov) or b; w −= ηg.
    static func sgd(rate: (Int) -> Double, momentum mu: Double = 0, dampening tau: Double = 0, nesterov: Bool = false, weightDecay lambda: Double = 0) -> Trajectory {
        var w = FiveSteps.start
        var b = [0.0, 0, 0]
        var out: Trajectory = []
        for t in 1...5 {
            var g = FiveSteps.gradient(w)
            for i in 0..<3 {
                g[i] += lambda * w[i]
                if mu != 0 {
                    b[i] = t == 1 ? g[i] : mu * b[i] + (1 - tau) * g[i]
                    g[i] = nesterov ? g[i] + mu * b[i] : b[i]
                }
                w[i] -= rate(t) * g[i]
            }
            out.append(w)
        }
        return out
    }

    /// torch.optim.Adagrad: g += λw; η̃ = η/(1+(t−1)·decay); s += g²; w −= η̃g/(√s+ε).
    static func adagrad(rate: Double, decay: Double, weightDecay lambda: Double, initial: Double, epsilon: Double) -> Trajectory {
        var w = FiveSteps.start
        var s = [initial, initial, initial]
        var out: Trajectory = []
        for t in 1...5 {
            let g = FiveSteps.gradient(w)
            let decayed = rate / (1 + Double(t - 1) * decay)
            for i in 0..<3 {
                let gi = g[i] + lambda * w[i]
                s[i] += gi * gi
                w[i] -= decayed * gi / (s[i].squareRoot() + epsilon)
            }
            out.append(w)
        }
        return out
    }

    /// torch.optim.RMSprop: g += λw; v = αv+(1−α)g²; centered: ḡ = αḡ+(1−α)g, ṽ = v−ḡ²;
    /// μ > 0: b = μb + g/(√ṽ+ε), w −= ηb; else w −= ηg/(√ṽ+ε).
    static func rmsprop(rate: Double, alpha: Double, epsilon: Double, weightDecay lambda: Double = 0, momentum mu: Double = 0, centered: Bool = false) -> Trajectory {
        var w = FiveSteps.start
        var v = [0.0, 0, 0], mean = [0.0, 0, 0], b = [0.0, 0, 0]
        var out: Trajectory = []
        for _ in 1...5 {
            let g = FiveSteps.gradient(w)
            for i in 0..<3 {
                let gi = g[i] + lambda * w[i]
                v[i] = alpha * v[i] + (1 - alpha) * gi * gi
                var tilde = v[i]
                if centered {
                    mean[i] = alpha * mean[i] + (1 - alpha) * gi
                    tilde -= mean[i] * mean[i]
                }
                if mu > 0 {
                    b[i] = mu * b[i] + gi / (tilde.squareRoot() + epsilon)
                    w[i] -= rate * b[i]
                } else {
                    w[i] -= rate * gi / (tilde.squareRoot() + epsilon)
                }
            }
            out.append(w)
        }
        return out
    }

    /// torch.optim.Adam / AdamW: coupled g += λw, or decoupled w −= ηλw first; m, v moving
    /// averages; m̂ = m/(1−β₁ᵗ); v̂ = (AMSGrad: max of v so far, else v)/(1−β₂ᵗ);
    /// w −= η·m̂/(√v̂+ε).
    static func adam(rate: (Int) -> Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay lambda: Double = 0, decoupled: Bool = false, amsgrad: Bool = false) -> Trajectory {
        var w = FiveSteps.start
        var m = [0.0, 0, 0], v = [0.0, 0, 0], vMax = [0.0, 0, 0]
        var out: Trajectory = []
        for t in 1...5 {
            let g = FiveSteps.gradient(w)
            let eta = rate(t)
            for i in 0..<3 {
                var gi = g[i]
                if decoupled { w[i] -= eta * lambda * w[i] } else { gi += lambda * w[i] }
                m[i] = beta1 * m[i] + (1 - beta1) * gi
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                vMax[i] = max(vMax[i], v[i])
                let mHat = m[i] / (1 - pow(beta1, Double(t)))
                let vHat = (amsgrad ? vMax[i] : v[i]) / (1 - pow(beta2, Double(t)))
                w[i] -= eta * mHat / (vHat.squareRoot() + epsilon)
            }
            out.append(w)
        }
        return out
    }

    /// ClipUp (Toklu et al. 2020): v = μv + η·g/‖g‖; v scaled to maxSpeed when longer; w −= v.
    static func clipUp(rate eta: Double, maxSpeed: Double, momentum mu: Double) -> Trajectory {
        var w = FiveSteps.start
        var v = [0.0, 0, 0]
        var out: Trajectory = []
        for _ in 1...5 {
            let g = FiveSteps.gradient(w)
            let norm = g.map { $0 * $0 }.reduce(0, +).squareRoot()
            for i in 0..<3 { v[i] = mu * v[i] + eta * g[i] / norm }
            let speed = v.map { $0 * $0 }.reduce(0, +).squareRoot()
            if speed > maxSpeed { for i in 0..<3 { v[i] *= maxSpeed / speed } }
            for i in 0..<3 { w[i] -= v[i] }
            out.append(w)
        }
        return out
    }

    // MARK: - SGD family

    @Test func plainGradientDescent() throws {
        FiveSteps.expectMatch(try FiveSteps.run(SGD(learningRate: 0.1)), Self.sgd(rate: { _ in 0.1 }))
    }

    @Test func heavyBallWithDampeningAndWeightDecay() throws {
        let optimizer = try SGD(learningRate: 0.05, momentum: 0.9, dampening: 0.25, weightDecay: 0.05)
        let expected = Self.sgd(rate: { _ in 0.05 }, momentum: 0.9, dampening: 0.25, weightDecay: 0.05)
        FiveSteps.expectMatch(try FiveSteps.run(optimizer), expected)
        // The first step's buffer is the undamped gradient: dampening from t = 1 would differ.
        FiveSteps.expectDistinct(expected, Self.sgd(rate: { _ in 0.05 }, momentum: 0.9, dampening: 0, weightDecay: 0.05), margin: 1e-4)
    }

    @Test func nesterovWithWeightDecay() throws {
        let optimizer = try SGD(learningRate: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.05)
        let expected = Self.sgd(rate: { _ in 0.05 }, momentum: 0.8, nesterov: true, weightDecay: 0.05)
        FiveSteps.expectMatch(try FiveSteps.run(optimizer), expected)
        FiveSteps.expectDistinct(expected, Self.sgd(rate: { _ in 0.05 }, momentum: 0.8, weightDecay: 0.05))
    }

    @Test func momentumWithStepDecaySchedule() throws {
        let optimizer = try SGD(learningRate: 0.1, momentum: 0.5, schedule: .stepDecay(stepSize: 2, gamma: 0.5))
        // Update t uses schedule step t − 1: η = 0.1 · 0.5^⌊(t−1)/2⌋.
        let expected = Self.sgd(rate: { t in 0.1 * pow(0.5, Double((t - 1) / 2)) }, momentum: 0.5)
        FiveSteps.expectMatch(try FiveSteps.run(optimizer), expected)
    }

    /// The gradient form of PGPE's center rule: the speed cap binds from the third step on
    /// (0.12, 0.228, 0.325, … > 0.25), so both branches of the rule are exercised.
    @Test func clipUpNormalizesAndClipsItsSteps() throws {
        let optimizer = try ClipUp(learningRate: 0.12, maxSpeed: 0.25, momentum: 0.9)
        let expected = Self.clipUp(rate: 0.12, maxSpeed: 0.25, momentum: 0.9)
        FiveSteps.expectMatch(try FiveSteps.run(optimizer), expected)
        FiveSteps.expectDistinct(expected, Self.clipUp(rate: 0.12, maxSpeed: 10, momentum: 0.9))
        #expect(optimizer.rule.maxSpeed == 0.25)
        #expect(try ClipUp(learningRate: 0.2).rule.maxSpeed == 0.4)
    }

    // MARK: - Adaptive methods

    @Test func adagradWithDecayAccumulatorAndWeightDecay() throws {
        let optimizer = try AdaGrad(learningRate: 0.5, learningRateDecay: 0.1, weightDecay: 0.05, initialAccumulator: 0.1)
        FiveSteps.expectMatch(try FiveSteps.run(optimizer), Self.adagrad(rate: 0.5, decay: 0.1, weightDecay: 0.05, initial: 0.1, epsilon: 1e-10))
    }

    @Test func rmspropDefaults() throws {
        FiveSteps.expectMatch(try FiveSteps.run(RMSprop()), Self.rmsprop(rate: 0.01, alpha: 0.99, epsilon: 1e-8))
    }

    @Test func rmspropCenteredWithMomentumAndWeightDecay() throws {
        let optimizer = try RMSprop(learningRate: 0.05, alpha: 0.9, weightDecay: 0.05, momentum: 0.5, centered: true)
        let expected = Self.rmsprop(rate: 0.05, alpha: 0.9, epsilon: 1e-8, weightDecay: 0.05, momentum: 0.5, centered: true)
        FiveSteps.expectMatch(try FiveSteps.run(optimizer), expected)
        FiveSteps.expectDistinct(expected, Self.rmsprop(rate: 0.05, alpha: 0.9, epsilon: 1e-8, weightDecay: 0.05, momentum: 0.5))
    }

    @Test func adamWithBiasCorrectionAndCoupledWeightDecay() throws {
        let optimizer = try Adam(learningRate: 0.1, weightDecay: 0.05)
        FiveSteps.expectMatch(try FiveSteps.run(optimizer), Self.adam(rate: { _ in 0.1 }, weightDecay: 0.05))
    }

    @Test func adamAMSGrad() throws {
        let optimizer = try Adam(learningRate: 0.1, beta2: 0.5, amsgrad: true)
        let expected = Self.adam(rate: { _ in 0.1 }, beta2: 0.5, amsgrad: true)
        FiveSteps.expectMatch(try FiveSteps.run(optimizer), expected)
        // The running maximum matters on this path: plain Adam goes elsewhere.
        FiveSteps.expectDistinct(expected, Self.adam(rate: { _ in 0.1 }, beta2: 0.5))
    }

    @Test func adamWDecouplesWeightDecayWithTheScheduledRate() throws {
        let optimizer = try AdamW(learningRate: 0.1, weightDecay: 0.2, schedule: .exponential(gamma: 0.8))
        let rate = { (t: Int) in 0.1 * pow(0.8, Double(t - 1)) }
        let expected = Self.adam(rate: rate, weightDecay: 0.2, decoupled: true)
        FiveSteps.expectMatch(try FiveSteps.run(optimizer), expected)
        FiveSteps.expectDistinct(expected, Self.adam(rate: rate, weightDecay: 0.2))
    }

    @Test func adamWDefaultsArePyTorchs() throws {
        let optimizer = try AdamW()
        #expect(optimizer.settings.learningRate == 0.001)
        #expect(optimizer.settings.weightDecay == .decoupled(0.01))
        #expect(optimizer.rule.beta1 == 0.9 && optimizer.rule.beta2 == 0.999 && optimizer.rule.epsilon == 1e-8)
        FiveSteps.expectMatch(try FiveSteps.run(optimizer), Self.adam(rate: { _ in 0.001 }, weightDecay: 0.01, decoupled: true))
    }

    // MARK: - Batches

    /// `gd` steps on the whole training set, `sgd` on the problem's next mini-batch: the first
    /// step of each equals w − η·∇f on exactly those samples.
    @Test func gdUsesTheFullBatchAndSGDTheNextMiniBatch() throws {
        var data = RandomStream(seed: 7)
        let samples = TinyData.moons(count: 8, noise: 0.1, rng: &data)
        let network = try Network.perceptron(inputs: 2, hidden: [3], outputs: 2, activation: .tanh)
        let objective = NetworkObjective(network: network)
        var init0 = RandomStream(seed: 3)
        let w0 = network.initialWeights(.xavierUniform, rng: &init0)
        let order = RandomStream(seed: 11)
        var rng = RunState(rng: RandomStream(seed: 5))
        for name in ["gd", "sgd"] {
            let problem = try Problem(objective: objective, training: samples, batchSize: 2, rng: order) { _ in w0 }
            var batches = try #require(problem.batchOrder)
            let batch = name == "gd" ? samples : samples.subset(batches.next())
            let gradient = try objective.lossAndGradient(at: w0, on: batch, rng: &rng.rng).gradient
            let optimizer = try SGD(parameters: ParameterReader(OptimizerSpec(name: name, parameters: ["learningRate": .number(0.5)])), name: name)
            var state = try optimizer.start(problem, from: w0, run: &rng)
            _ = try optimizer.step(&state, problem, run: &rng)
            for i in w0.indices {
                #expect(abs(state.weights[i] - (w0[i] - 0.5 * gradient[i])) <= 1e-6 * max(1, abs(w0[i])), "\(name) w[\(i)]")
            }
        }
    }
}
