import WeightLabCore

/// Which samples a first-order step computes its gradient on.
public enum GradientBatch: String, Sendable, Equatable, Codable, CaseIterable {
    /// The problem's next shuffled mini-batch (`RunState.nextBatch(of:)`). With a batch size of 1
    /// this is classic stochastic gradient descent; without a batch size, the whole set.
    case miniBatch = "mini"
    /// The problem's deterministic full batch (`Problem.fullBatch`): batch gradient descent.
    case full
}

/// What every first-order optimizer shares: its base learning rate, the schedule that varies
/// it, the weight decay and where it goes, and the batch each step uses. The update rules
/// (SGD, AdaGrad, RMSprop, Adam) compose with these instead of copying them.
public struct FirstOrderSettings: Sendable, Equatable {
    /// η₀, the rate the schedule starts from.
    public var learningRate: Float
    public var schedule: LearningRateSchedule
    public var weightDecay: WeightDecay
    public var batch: GradientBatch

    /// The parameters every first-order optimizer reads; `learningRate` and `weightDecay`
    /// take each optimizer's own default.
    public enum Parameters {
        public static let learningRate = Parameter("learningRate", default: Float(0.01), .positive, "η₀, the base learning rate the schedule starts from")
        public static let weightDecay = Parameter("weightDecay", default: Float(0), .nonNegative, "λ, the weight decay")
        public static let batch = Parameter(
            "batch", default: GradientBatch.miniBatch.rawValue, .oneOf(GradientBatch.allCases.map(\.rawValue)),
            "`mini`: the run's next mini-batch; `full`: the problem's full batch")
        public static let schedule = ParameterInfo(
            name: "schedule", defaultText: "`constant`", allowed: "a schedule specification (docs/gradient.md)", doc: "how η varies over the run")

        /// The rows of the shared parameters with an optimizer's defaults.
        public static func infos(learningRate: Float, weightDecay: Float = 0, decoupled: Bool = false, batch: GradientBatch = .miniBatch) -> [ParameterInfo] {
            var decay = Parameters.weightDecay.withDefault(weightDecay).info
            decay = ParameterInfo(name: decay.name, defaultText: decay.defaultText, allowed: decay.allowed, doc: decay.doc + (decoupled ? ", decoupled (w ← w − ηλw)" : ", added to the gradient"))
            return [Parameters.learningRate.withDefault(learningRate).info, decay, schedule, Parameters.batch.withDefault(batch.rawValue).info]
        }
    }

    /// Validated settings; throws naming the parameter that is out of range.
    public init(learningRate: Float, schedule: LearningRateSchedule = .constant, weightDecay: WeightDecay = .none, batch: GradientBatch = .miniBatch) throws {
        self.learningRate = try Parameters.learningRate.checked(learningRate)
        try Parameters.weightDecay.check(weightDecay.coefficient)
        try schedule.validate()
        self.schedule = schedule
        self.weightDecay = weightDecay
        self.batch = batch
    }

    /// Reads `learningRate`, `weightDecay`, `schedule` and `batch` ("mini" or "full").
    public init(
        parameters p: ParameterReader, learningRate: Float, weightDecay: Float = 0, decoupled: Bool = false,
        batch: GradientBatch = .miniBatch
    ) throws {
        let rate = try p.value(Parameters.learningRate.withDefault(learningRate))
        let decay = try p.value(Parameters.weightDecay.withDefault(weightDecay))
        let schedule = try p.raw("schedule").map { try LearningRateSchedule($0, path: p.path + ".schedule") } ?? .constant
        let batchName = try p.value(Parameters.batch.withDefault(batch.rawValue))
        try self.init(
            learningRate: rate, schedule: schedule,
            weightDecay: WeightDecay(coefficient: decay, decoupled: decoupled),
            batch: GradientBatch(rawValue: batchName) ?? batch)
    }
}
