import WeightLab

/// How a results file (a run's JSON record, `runs.csv`) holds a run-loop `TraceRow`: one
/// training-loss column, and reals as the Double whose shortest decimal form is the Float's.
extension TraceRow {
    /// The training loss results files report: the one measured on the whole training set when
    /// there is one, else the mean of the losses the steps reported since the previous row.
    public var reportedTrainingLoss: Float { trainingLoss ?? averageLoss }

    /// A row read back from a results file. The file keeps one training loss (see
    /// `reportedTrainingLoss`), so it fills `trainingLoss`, `loss` and `averageLoss` alike (NaN
    /// for the last two when absent); the reals are the Floats the Doubles were written from.
    public init(
        step: Int, epoch: Double? = nil, costUnits: Int, wallSeconds: Double, trainingLoss: Double? = nil,
        validationLoss: Double? = nil, validationAccuracy: Double? = nil, learningRate: Double? = nil, part: String? = nil
    ) {
        let loss = trainingLoss.map(float)
        self.init(
            step: step, epoch: epoch, costUnits: costUnits, wallSeconds: wallSeconds, loss: loss ?? .nan,
            averageLoss: loss ?? .nan, trainingLoss: loss, validationLoss: validationLoss.map(float),
            validationAccuracy: validationAccuracy.map(float), learningRate: learningRate.map(float), part: part)
    }

    /// The row as a results file keeps it: what reading it back gives.
    var asKeptInResults: TraceRow {
        let reals = resultReals
        return TraceRow(
            step: step, epoch: epoch, costUnits: costUnits, wallSeconds: wallSeconds, trainingLoss: reals.trainingLoss,
            validationLoss: reals.validationLoss, validationAccuracy: reals.validationAccuracy, learningRate: reals.learningRate, part: part)
    }

    /// The reals a results file writes for the row (the JSON record and `runs.csv` alike),
    /// each as `decimal` of its Float.
    var resultReals: (trainingLoss: Double, validationLoss: Double?, validationAccuracy: Double?, learningRate: Double?) {
        (decimal(reportedTrainingLoss), validationLoss.map(decimal), validationAccuracy.map(decimal), learningRate.map(decimal))
    }

    /// The fields of a row in a run's JSON record, as the record has always named them.
    enum ResultKey: String, CodingKey {
        case step, epoch, costUnits, wallSeconds, trainingLoss, validationLoss, validationAccuracy, learningRate, part
    }

    /// Writes the row's results fields into `container`; absent values are left out.
    func encodeResult(to container: inout KeyedEncodingContainer<ResultKey>) throws {
        let reals = resultReals
        try container.encode(step, forKey: .step)
        try container.encodeIfPresent(epoch, forKey: .epoch)
        try container.encode(costUnits, forKey: .costUnits)
        try container.encode(wallSeconds, forKey: .wallSeconds)
        try container.encode(reals.trainingLoss, forKey: .trainingLoss)
        try container.encodeIfPresent(reals.validationLoss, forKey: .validationLoss)
        try container.encodeIfPresent(reals.validationAccuracy, forKey: .validationAccuracy)
        try container.encodeIfPresent(reals.learningRate, forKey: .learningRate)
        try container.encodeIfPresent(part, forKey: .part)
    }

    /// Reads a row written by `encodeResult(to:)`.
    init(result container: KeyedDecodingContainer<ResultKey>) throws {
        self.init(
            step: try container.decode(Int.self, forKey: .step),
            epoch: try container.decodeIfPresent(Double.self, forKey: .epoch),
            costUnits: try container.decode(Int.self, forKey: .costUnits),
            wallSeconds: try container.decode(Double.self, forKey: .wallSeconds),
            trainingLoss: try container.decodeIfPresent(Double.self, forKey: .trainingLoss),
            validationLoss: try container.decodeIfPresent(Double.self, forKey: .validationLoss),
            validationAccuracy: try container.decodeIfPresent(Double.self, forKey: .validationAccuracy),
            learningRate: try container.decodeIfPresent(Double.self, forKey: .learningRate),
            part: try container.decodeIfPresent(String.self, forKey: .part))
    }

    /// Cost units as a real, for plotting.
    var cost: Double { Double(costUnits) }
}

/// A run's trace as its results file keeps it: every row is stored `asKeptInResults` when set,
/// so records compare equal exactly when their files would, and the rows are coded as
/// `encodeResult(to:)` writes them.
@propertyWrapper
public struct TraceRowsInResults: Codable, Sendable, Equatable {
    private var rows: [TraceRow]

    public var wrappedValue: [TraceRow] {
        get { rows }
        set { rows = newValue.map(\.asKeptInResults) }
    }

    public init(wrappedValue: [TraceRow]) {
        rows = wrappedValue.map(\.asKeptInResults)
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        rows = []
        while !container.isAtEnd {
            rows.append(try TraceRow(result: container.nestedContainer(keyedBy: TraceRow.ResultKey.self)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for row in rows {
            var fields = container.nestedContainer(keyedBy: TraceRow.ResultKey.self)
            try row.encodeResult(to: &fields)
        }
    }
}

/// The Double whose shortest decimal form is the Float's (0.001 rather than
/// 0.0010000000474974513), so the files show the values as the network computed them.
func decimal(_ value: Float) -> Double {
    value.isFinite ? Double(value.description) ?? Double(value) : Double(value)
}

/// The Float a results file's Double was written from by `decimal`: read through the Double's
/// shortest decimal form, so `decimal(float(decimal(x))) == decimal(x)`.
func float(_ value: Double) -> Float {
    value.isFinite ? Float(value.description) ?? Float(value) : Float(value)
}
