import WeightLab

/// Everything one (variant, seed) run produced that the experiment keeps: its trace and its
/// final measurements. Saved as `runs/<variant>.seed-<seed>.json` the moment the run ends, so
/// an interrupted experiment resumes where it stopped.
public struct TrialRecord: ResultsFile, Sendable, Equatable {
    /// How the run ended.
    public enum Outcome: String, Codable, Sendable {
        /// A stopping rule fired, or the optimizer finished.
        case completed
        /// The loss turned non-finite; the final measurements are those of the last finite weights.
        case diverged
    }

    public var variant: String
    public var seed: UInt64
    /// The variant's fingerprint when the run was made (see `Variant.fingerprint`).
    public var fingerprint: String
    public var outcome: Outcome
    /// Why it ended: `epochs`, `cost-units`, `early-stopping`, `diverged at step 12`, ...
    public var stopReason: String
    /// The trace, in order: the run loop's rows as the file holds them (see `TraceRowInResults.swift`);
    /// records are equal when their files would be.
    @TraceRowsInResults public var points: [TraceRow]
    /// Measured once, on the weights the run handed over.
    public var final: FinalMeasurements
    /// The data the run used, with its sizes (`digits: 1150 training / 287 validation / 360 test samples`).
    public var data: String?

    public init(variant: String, seed: UInt64, fingerprint: String, outcome: Outcome, stopReason: String, points: [TraceRow], final: FinalMeasurements, data: String? = nil) {
        self.variant = variant
        self.seed = seed
        self.fingerprint = fingerprint
        self.outcome = outcome
        self.stopReason = stopReason
        self.points = points
        self.final = final
        self.data = data
    }

    public static let fileKind = "a run record"
}

/// What a run ended with, measured on the weights it handed over.
public struct FinalMeasurements: Codable, Sendable, Equatable {
    public var testAccuracy: Double?
    public var testLoss: Double?
    public var validationAccuracy: Double?
    public var validationLoss: Double?
    /// Accuracy and mean data loss on the whole training set.
    public var trainingAccuracy: Double?
    public var trainingLoss: Double?
    public var costUnits: Int
    public var wallSeconds: Double
    public var steps: Int
    public var epochs: Double?

    public init(
        testAccuracy: Double? = nil, testLoss: Double? = nil, validationAccuracy: Double? = nil, validationLoss: Double? = nil,
        trainingAccuracy: Double? = nil, trainingLoss: Double? = nil, costUnits: Int, wallSeconds: Double, steps: Int, epochs: Double? = nil
    ) {
        self.testAccuracy = testAccuracy
        self.testLoss = testLoss
        self.validationAccuracy = validationAccuracy
        self.validationLoss = validationLoss
        self.trainingAccuracy = trainingAccuracy
        self.trainingLoss = trainingLoss
        self.costUnits = costUnits
        self.wallSeconds = wallSeconds
        self.steps = steps
        self.epochs = epochs
    }
}

extension TrialRecord {
    /// The value of `metric` for this run; nil when it was not measured (or, for
    /// `cost-to-target`, when validation accuracy never reached `target`).
    public func value(of metric: Metric, target: Double?) -> Double? {
        switch metric {
        case .testAccuracy: final.testAccuracy
        case .testLoss: final.testLoss
        case .validationAccuracy: final.validationAccuracy
        case .validationLoss: final.validationLoss
        case .trainingLoss: final.trainingLoss
        case .trainingAccuracy: final.trainingAccuracy
        case .generalizationGap: final.trainingAccuracy.flatMap { train in final.testAccuracy.map { train - $0 } }
        case .costUnits: Double(final.costUnits)
        case .wallSeconds: final.wallSeconds
        case .secondsPerEpoch: final.epochs.flatMap { $0 > 0 ? final.wallSeconds / $0 : nil }
        case .epochs: final.epochs
        case .steps: Double(final.steps)
        case .costToTarget:
            target.flatMap { target in
                points.first { ($0.validationAccuracy.map(decimal) ?? -1) >= target }.map { Double($0.costUnits) }
            }
        }
    }
}
