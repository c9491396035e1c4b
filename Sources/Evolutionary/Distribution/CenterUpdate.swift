import WeightLabCore

/// How a gradient-estimating evolution strategy (OpenAI-ES, PGPE, SNES) moves its center μ along
/// its estimate g of the loss gradient: one of Core's update rules at a learning rate, the same
/// code the gradient optimizers run (evosax hands its strategies an Optax transform). Every
/// rule descends.
public enum CenterUpdate: Sendable, Equatable {
    /// Gradient descent with heavy-ball momentum (`MomentumRule`): b ← μb + g, μ ← μ − ηb.
    case sgd(learningRate: Float, MomentumRule)
    /// Adam (`AdamRule`), the optimizer Salimans et al. (2017) use for OpenAI-ES.
    case adam(learningRate: Float, AdamRule)
    /// ClipUp (`ClipUpRule`, Toklu et al. 2020): a normalized step with momentum, its length
    /// clipped to maxSpeed; the learning rate is its step size.
    case clipUp(learningRate: Float, ClipUpRule)

    /// The names the registry accepts.
    public static let names = ["sgd", "adam", "clipup"]

    /// The rule's name, as the registry spells it.
    public var ruleName: String {
        switch self {
        case .sgd: "sgd"
        case .adam: "adam"
        case .clipUp: "clipup"
        }
    }

    /// The learning rate (ClipUp's step size).
    public var learningRate: Float {
        switch self {
        case .sgd(let rate, _), .adam(let rate, _), .clipUp(let rate, _): rate
        }
    }

    /// Throws unless the rule's parameters are in range.
    public func validate() throws {
        try Parameters.learningRate.check(learningRate)
        switch self {
        case .sgd(_, let rule): try rule.validate()
        case .adam(_, let rule): try rule.validate()
        case .clipUp(_, let rule): try rule.validate()
        }
    }

    /// The rule's buffers and step count, kept in the strategy's state: `first` is the momentum
    /// buffer, Adam's m or ClipUp's velocity, `second` Adam's v.
    public struct State: Codable, Sendable {
        public var first: [Float] = []
        public var second: [Float] = []
        public var steps: Int = 0
        public init() {}
    }

    /// Moves `center` one step against `gradient` (which the rule may overwrite).
    public func apply(_ g: inout [Float], to center: inout [Float], state: inout State) {
        state.steps += 1
        switch self {
        case .sgd(let rate, let rule):
            rule.update(&center, gradient: &g, buffers: &state.first, learningRate: rate, step: state.steps)
        case .adam(let rate, let rule):
            let saved = state.first.count == center.count && state.second.count == center.count
            var buffers = saved ? AdamRule.Buffers(mean: [], square: [], maximum: []) : rule.makeBuffers(dimension: center.count)
            if saved {
                swap(&buffers.mean, &state.first)
                swap(&buffers.square, &state.second)
            }
            rule.update(&center, gradient: &g, buffers: &buffers, learningRate: rate, step: state.steps)
            swap(&buffers.mean, &state.first)
            swap(&buffers.square, &state.second)
        case .clipUp(let rate, let rule):
            rule.update(&center, gradient: &g, buffers: &state.first, learningRate: rate, step: state.steps)
        }
    }
}

extension CenterUpdate {
    /// The center update's parameters; which are read depends on `update`. Adam's and
    /// ClipUp's are the shared rules' declarations.
    public enum Parameters {
        public static let update = Parameter("update", default: "adam", .oneOf(CenterUpdate.names), "the rule that moves the center along the gradient estimate")
        public static let learningRate = Parameter("learningRate", default: Float(0.01), .within(1e-30...1e30), "η, the center's learning rate (ClipUp's step size)")
        public static let momentum = ClipUpRule.Parameters.momentum

        /// The rows of a strategy whose center update defaults to `standard` (its rule and
        /// learning rate; the rule's other parameters keep the rule's own defaults).
        public static func infos(default standard: CenterUpdate) -> [ParameterInfo] {
            let (rule, learningRate) = (standard.ruleName, standard.learningRate)
            let note = ParameterInfo(name: momentum.name, defaultText: momentum.defaultText, allowed: momentum.allowed.words, doc: "μ, the momentum (clipup, sgd; sgd's default is 0)")
            return [update.withDefault(rule).info, Parameters.learningRate.withDefault(learningRate).info, note, ClipUpRule.Parameters.maxSpeed.info]
                + [AdamRule.Parameters.beta1.info, AdamRule.Parameters.beta2.info, AdamRule.Parameters.epsilon.info]
        }
    }

    /// Reads `update` and the parameters of the chosen rule; left out, they are `standard`'s.
    public init(parameters p: ParameterReader, default standard: CenterUpdate) throws {
        let rule = try p.value(Parameters.update.withDefault(standard.ruleName))
        let learningRate = try p.value(Parameters.learningRate.withDefault(standard.learningRate))
        switch rule {
        case "sgd":
            self = .sgd(learningRate: learningRate, try MomentumRule(momentum: try p.value(Parameters.momentum.withDefault(0))))
        case "clipup":
            let maxSpeed = try p.value(ClipUpRule.Parameters.maxSpeed) ?? 2 * learningRate
            self = .clipUp(learningRate: learningRate, try ClipUpRule(maxSpeed: maxSpeed, momentum: try p.value(Parameters.momentum)))
        default:
            self = .adam(learningRate: learningRate, try AdamRule(
                beta1: try p.value(AdamRule.Parameters.beta1), beta2: try p.value(AdamRule.Parameters.beta2),
                epsilon: try p.value(AdamRule.Parameters.epsilon)))
        }
    }
}
