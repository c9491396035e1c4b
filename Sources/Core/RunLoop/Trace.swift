import Foundation

/// One recorded moment of a run. Losses are means over samples; monitoring values
/// (`trainingLoss`, validation) are measured without charging the ledger.
public struct TraceRow: Sendable, Equatable, Codable {
    /// Optimizer steps completed.
    public var step: Int
    /// Gradient-epoch equivalents spent: cost units / (3 × training samples); nil for analytic functions.
    public var epoch: Double?
    /// Ledger units charged since the run began.
    public var costUnits: Int
    /// Wall seconds since the run began (across resumes).
    public var wallSeconds: Double
    /// The training loss the last step reported (mini-batch loss, incumbent fitness, line-search value).
    public var loss: Float
    /// The mean of the losses the steps since the previous row reported.
    public var averageLoss: Float
    /// The incumbent's loss on the whole training set, when the configuration asks for it.
    public var trainingLoss: Float?
    /// The incumbent's accuracy on the whole training set, with `trainingLoss`, for classifiers.
    public var trainingAccuracy: Float?
    /// The incumbent's mean loss on the validation samples.
    public var validationLoss: Float?
    /// The incumbent's accuracy on the validation samples, for classifiers.
    public var validationAccuracy: Float?
    /// The learning rate the last step used, for methods that have one.
    public var learningRate: Float?
    /// For combiners: the part that ran the last step.
    public var part: String?

    public init(
        step: Int, epoch: Double?, costUnits: Int, wallSeconds: Double, loss: Float, averageLoss: Float,
        trainingLoss: Float? = nil, trainingAccuracy: Float? = nil, validationLoss: Float? = nil,
        validationAccuracy: Float? = nil, learningRate: Float? = nil, part: String? = nil
    ) {
        self.step = step
        self.epoch = epoch
        self.costUnits = costUnits
        self.wallSeconds = wallSeconds
        self.loss = loss
        self.averageLoss = averageLoss
        self.trainingLoss = trainingLoss
        self.trainingAccuracy = trainingAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.part = part
    }
}

/// The rows a run recorded, in order.
public struct Trace: Sendable, Equatable, Codable {
    public var rows: [TraceRow]

    public init(rows: [TraceRow] = []) {
        self.rows = rows
    }

    /// The CSV header: one column per `TraceRow` field, snake case.
    public static let columns = [
        "step", "epoch", "cost_units", "wall_seconds", "loss", "average_loss", "training_loss", "training_accuracy",
        "validation_loss", "validation_accuracy", "learning_rate", "part",
    ]

    /// The trace as CSV (RFC 4180): a header, then one line per row; absent values are empty
    /// fields, non-finite ones `inf`, `-inf`, `nan`; reals in their shortest exact form.
    public var csv: String {
        CSVTable(header: Self.columns, rows: rows.map { row in
            [
                String(row.step), field(row.epoch), String(row.costUnits), field(row.wallSeconds), field(row.loss),
                field(row.averageLoss), field(row.trainingLoss), field(row.trainingAccuracy), field(row.validationLoss),
                field(row.validationAccuracy), field(row.learningRate), row.part ?? "",
            ]
        }).text
    }

    /// Writes `csv` to `url` atomically.
    public func writeCSV(to url: URL) throws {
        try AtomicFile.write(Data(csv.utf8), to: url)
    }
}

private func field(_ value: (some BinaryFloatingPoint & LosslessStringConvertible)?) -> String {
    guard let value else { return "" }
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return value.description
}
