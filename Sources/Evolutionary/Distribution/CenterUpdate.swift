import Foundation
import WeightLabCore

/// How a gradient-estimating evolution strategy (OpenAI-ES, PGPE) moves its center μ along
/// its estimate g of the loss gradient. Every rule descends.
public enum CenterUpdate: Sendable, Equatable, Codable {
    /// Plain gradient descent with heavy-ball momentum, PyTorch's form:
    /// b ← momentum·b + g, μ ← μ − learningRate·b.
    case gradientDescent(learningRate: Float, momentum: Float)
    /// Adam (Kingma & Ba, 2015): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
    /// μ ← μ − learningRate·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).
    /// The optimizer Salimans et al. (2017) use for OpenAI-ES.
    case adam(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float)
    /// ClipUp (Toklu et al., 2020, "ClipUp: A Simple and Powerful Optimizer for
    /// Distribution-based Policy Evolution"): v ← momentum·v + stepSize·g/‖g‖, then v is
    /// scaled down to norm `maxSpeed` if longer, and μ ← μ − v. The step's length is bounded
    /// whatever the fitness scale; the authors recommend stepSize = maxSpeed/2.
    case clipUp(stepSize: Float, maxSpeed: Float, momentum: Float)

    /// The names the registry accepts.
    public static let names = ["sgd", "adam", "clipup"]

    /// Throws unless the rule's parameters are in range.
    public func validate() throws {
        switch self {
        case .gradientDescent(let lr, let momentum):
            try validatePositive("learningRate", lr)
            try WeightLabCore.validate("momentum", momentum, in: 0...0.999999)
        case .adam(let lr, let b1, let b2, let eps):
            try validatePositive("learningRate", lr)
            try WeightLabCore.validate("beta1", b1, in: 0...0.999999)
            try WeightLabCore.validate("beta2", b2, in: 0...0.999999)
            try validatePositive("epsilon", eps)
        case .clipUp(let step, let speed, let momentum):
            try validatePositive("learningRate", step)
            try validatePositive("maxSpeed", speed)
            try WeightLabCore.validate("momentum", momentum, in: 0...0.999999)
        }
    }

    /// The moments, velocity and step count an update rule carries.
    public struct State: Codable, Sendable {
        public var first: [Float] = []
        public var second: [Float] = []
        public var steps: Int = 0
        public init() {}
    }

    /// Moves `center` one step against `gradient`.
    public func apply(_ gradient: [Float], to center: inout [Float], state: inout State) {
        let n = center.count
        if state.first.count != n { state.first = [Float](repeating: 0, count: n) }
        state.steps += 1
        switch self {
        case .gradientDescent(let lr, let momentum):
            for i in 0..<n {
                state.first[i] = momentum * state.first[i] + gradient[i]
                center[i] -= lr * state.first[i]
            }
        case .adam(let lr, let b1, let b2, let eps):
            if state.second.count != n { state.second = [Float](repeating: 0, count: n) }
            let t = Double(state.steps)
            let c1 = Float(1 - pow(Double(b1), t))
            let c2 = Float(1 - pow(Double(b2), t))
            for i in 0..<n {
                let g = gradient[i]
                state.first[i] = b1 * state.first[i] + (1 - b1) * g
                state.second[i] = b2 * state.second[i] + (1 - b2) * g * g
                center[i] -= lr * (state.first[i] / c1) / ((state.second[i] / c2).squareRoot() + eps)
            }
        case .clipUp(let step, let speed, let momentum):
            let norm = Float(euclideanNorm(gradient))
            let scale = norm > 0 ? step / norm : 0
            var speedSquared = 0.0
            for i in 0..<n {
                state.first[i] = momentum * state.first[i] + scale * gradient[i]
                speedSquared += Double(state.first[i]) * Double(state.first[i])
            }
            let current = Float(speedSquared.squareRoot())
            let shrink: Float = current > speed ? speed / current : 1
            for i in 0..<n {
                state.first[i] *= shrink
                center[i] -= state.first[i]
            }
        }
    }
}

/// ‖x‖₂ accumulated in double precision.
func euclideanNorm(_ x: [Float]) -> Double {
    var sum = 0.0
    for v in x { sum += Double(v) * Double(v) }
    return sum.squareRoot()
}
