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

    /// Validated settings; throws naming the parameter that is out of range.
    public init(learningRate: Float, schedule: LearningRateSchedule = .constant, weightDecay: WeightDecay = .none, batch: GradientBatch = .miniBatch) throws {
        try Constraint.positive.check("learningRate", learningRate)
        try Constraint.nonNegative.check("weightDecay", weightDecay.coefficient)
        try schedule.validate()
        self.learningRate = learningRate
        self.schedule = schedule
        self.weightDecay = weightDecay
        self.batch = batch
    }

    /// Reads `learningRate`, `weightDecay`, `schedule` and `batch` ("mini" or "full").
    public init(
        parameters p: ParameterReader, learningRate: Float, weightDecay: Float = 0, decoupled: Bool = false,
        batch: GradientBatch = .miniBatch
    ) throws {
        let rate = try p.number("learningRate", default: learningRate, .positive)
        let decay = try p.number("weightDecay", default: weightDecay, .nonNegative)
        let schedule = try p.raw("schedule").map { try LearningRateSchedule($0, path: p.spec.path + ".schedule") } ?? .constant
        let batchName = try p.choice("batch", default: batch.rawValue, from: GradientBatch.allCases.map(\.rawValue))
        try self.init(
            learningRate: rate, schedule: schedule,
            weightDecay: WeightDecay(coefficient: decay, decoupled: decoupled),
            batch: GradientBatch(rawValue: batchName) ?? batch)
    }
}
