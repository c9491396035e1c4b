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
            try Parameters.learningRate.check(lr)
            try Parameters.momentum.check(momentum)
        case .adam(let lr, let b1, let b2, let eps):
            try Parameters.learningRate.check(lr)
            try Parameters.beta1.check(b1)
            try Parameters.beta2.check(b2)
            try Parameters.epsilon.check(eps)
        case .clipUp(let step, let speed, let momentum):
            try Parameters.learningRate.check(step)
            try Parameters.maxSpeed.check(speed)
            try Parameters.momentum.check(momentum)
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

extension CenterUpdate {
    /// The center update's parameters; which are read depends on `update`.
    public enum Parameters {
        public static let update = Parameter("update", default: "adam", .oneOf(CenterUpdate.names), "the rule that moves the center along the gradient estimate")
        public static let learningRate = Parameter("learningRate", default: Float(0.01), .within(1e-30...1e30), "η, the center's learning rate (ClipUp's step size)")
        public static let momentum = Parameter("momentum", default: Float(0.9), .within(0...0.999999), "the momentum (clipup; sgd: default 0)")
        public static let maxSpeed = Parameter<Float?>("maxSpeed", absent: "2 · learningRate", .within(1e-30...1e30), "ClipUp's largest step (clipup)")
        public static let beta1 = Parameter("beta1", default: Float(0.9), .within(0...0.999999), "β₁ (adam)")
        public static let beta2 = Parameter("beta2", default: Float(0.999), .within(0...0.999999), "β₂ (adam)")
        public static let epsilon = Parameter("epsilon", default: Float(1e-8), .within(1e-30...1), "ε (adam)")

        /// The rows with a strategy's default rule and learning rate.
        public static func infos(rule: String, learningRate: Float) -> [ParameterInfo] {
            [update.withDefault(rule).info, Parameters.learningRate.withDefault(learningRate).info, momentum.info, maxSpeed.info, beta1.info, beta2.info, epsilon.info]
        }
    }

    /// Reads `update` and the parameters of the chosen rule, with a strategy's defaults.
    public init(parameters p: ParameterReader, rule defaultRule: String, learningRate defaultLearningRate: Float) throws {
        let rule = try p.value(Parameters.update.withDefault(defaultRule))
        let learningRate = try p.value(Parameters.learningRate.withDefault(defaultLearningRate))
        switch rule {
        case "sgd":
            self = .gradientDescent(learningRate: learningRate, momentum: try p.value(Parameters.momentum.withDefault(0)))
        case "clipup":
            self = .clipUp(
                stepSize: learningRate, maxSpeed: try p.value(Parameters.maxSpeed) ?? 2 * learningRate, momentum: try p.value(Parameters.momentum))
        default:
            self = .adam(
                learningRate: learningRate, beta1: try p.value(Parameters.beta1), beta2: try p.value(Parameters.beta2),
                epsilon: try p.value(Parameters.epsilon))
        }
    }
}
