/// A number measured once per run, summarized per variant in `summary.csv` and `summary.md`
/// (the `metrics` field lists the ones to show; `comparison.metric` is the one tested).
public enum Metric: String, CaseIterable, Sendable, Codable {
    case testAccuracy = "test-accuracy"
    case testLoss = "test-loss"
    case validationAccuracy = "validation-accuracy"
    case validationLoss = "validation-loss"
    case trainingLoss = "training-loss"
    case trainingAccuracy = "training-accuracy"
    /// Training accuracy − test accuracy of the returned weights.
    case generalizationGap = "generalization-gap"
    case costUnits = "cost-units"
    case wallSeconds = "wall-seconds"
    case secondsPerEpoch = "seconds-per-epoch"
    case epochs = "epochs"
    case steps = "steps"
    /// Cost units spent when validation accuracy first reached the target (runs that never did are left out).
    case costToTarget = "cost-to-target"

    /// The metrics shown when the spec does not list any.
    public static let standard: [Metric] = [.testAccuracy, .testLoss, .generalizationGap, .costUnits, .wallSeconds, .costToTarget]

    /// The column title, with its unit.
    public var title: String {
        switch self {
        case .testAccuracy: "test accuracy"
        case .testLoss: "test loss"
        case .validationAccuracy: "validation accuracy"
        case .validationLoss: "validation loss"
        case .trainingLoss: "training loss"
        case .trainingAccuracy: "training accuracy"
        case .generalizationGap: "generalization gap (train − test accuracy)"
        case .costUnits: "cost (units)"
        case .wallSeconds: "wall time (s)"
        case .secondsPerEpoch: "time per epoch (s)"
        case .epochs: "epochs"
        case .steps: "steps"
        case .costToTarget: "cost to target (units)"
        }
    }

    /// Whether a larger value is better (for the "best" marks and the progress display).
    public var higherIsBetter: Bool {
        switch self {
        case .testAccuracy, .validationAccuracy, .trainingAccuracy: true
        default: false
        }
    }
}

/// How variants are compared with the baseline (the `comparison` field).
public struct Comparison: Sendable, Equatable, Codable {
    public enum Test: String, Sendable, Codable, CaseIterable {
        /// Independent samples: Mann–Whitney U.
        case mannWhitney = "mann-whitney"
        /// Paired by seed: Wilcoxon signed-rank (seed s of every variant shares data order and,
        /// with the same network, the initial weights).
        case wilcoxon = "wilcoxon"
    }

    public var metric: Metric
    public var test: Test
    /// The family-wise significance level after Holm's correction.
    public var alpha: Double

    public init(metric: Metric = .testAccuracy, test: Test = .mannWhitney, alpha: Double = 0.05) {
        self.metric = metric
        self.test = test
        self.alpha = alpha
    }
}
