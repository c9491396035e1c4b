import Foundation
import WeightLab

/// Runs a trial for real: builds the variant's data set, network, objective and problem,
/// makes its optimizer from the registry, and drives the run loop (`Trainer`) to the budget.
///
/// - The problem's mini-batch order and the initial weights come from the trial's seed, so
///   seed s of every variant sees the same batches and, with the same network, starts from the
///   same weights: runs are paired by seed.
/// - Each trace row holds the validation loss and accuracy of the incumbent; its training
///   loss is the loss over the whole training set when `measureTrainingLoss` is set, else the
///   mean loss the steps since the previous row reported.
/// - At the end the returned weights are measured on the training, validation and test sets
///   (not charged to the ledger): final accuracy, loss and the generalization gap.
public final class NetworkTrialExecutor: TrialExecutor {
    public let registry: OptimizerRegistry
    private let data = PreparedData()
    /// Receives notes for the user (a fallback data set taken).
    private let note: @Sendable (String) -> Void
    /// Stops every run at its next step boundary when requested (the runner's own request).
    private let interruption: Interruption?

    public init(registry: OptimizerRegistry, interruption: Interruption? = nil, note: @escaping @Sendable (String) -> Void = { _ in }) {
        self.registry = registry
        self.interruption = interruption
        self.note = note
    }

    public func prepare(_ variants: [Variant]) throws {
        for message in try data.prepare(variants) { note(message) }
        for variant in variants {
            let dataset = try data.dataset(variant.dataset)
            do {
                _ = try network(of: variant, on: dataset)
                _ = try variant.network.augmentation(for: dataset)
            } catch let error as WeightLabError {
                throw WeightLabError(error.kind, "variant '\(variant.name)': \(error.message)")
            }
            if variant.stopping.patience != nil && dataset.validation.count == 0 {
                throw WeightLabError(.specification, "variant '\(variant.name)': stopping.patience needs validation samples; set dataset.validation above 0")
            }
            if variant.stopping.monitor == "validation-accuracy" && variant.stopping.patience != nil && !dataset.isClassification {
                throw WeightLabError(.specification, "variant '\(variant.name)': stopping.monitor validation-accuracy needs a classification data set")
            }
        }
    }

    private func network(of variant: Variant, on dataset: Dataset) throws -> Network {
        try variant.network.network(inputs: dataset.featureCount, imageShape: dataset.imageShape, outputs: dataset.classCount ?? dataset.train.targetWidth)
    }

    public func run(_ trial: Trial, progress: @escaping @Sendable (Double) -> Void) throws -> TrialRecord {
        let (result, objective, dataset) = try train(trial, progress: progress)
        let variant = trial.variant
        let training = try objective.evaluate(result.weights, on: dataset.train)
        let outcome: TrialRecord.Outcome
        let reason: String
        switch result.status {
        case .completed(let why):
            outcome = .completed
            reason = why.description
        case .diverged(let step):
            outcome = .diverged
            reason = "diverged at step \(step)"
        }
        return TrialRecord(
            variant: variant.name, seed: trial.seed, fingerprint: variant.fingerprint, outcome: outcome, stopReason: reason,
            points: result.trace.rows,
            final: FinalMeasurements(
                testAccuracy: result.test?.accuracy.map(decimal), testLoss: result.test.map { decimal($0.loss) },
                validationAccuracy: result.validation?.accuracy.map(decimal), validationLoss: result.validation.map { decimal($0.loss) },
                trainingAccuracy: training.accuracy.map(decimal), trainingLoss: decimal(training.loss),
                costUnits: result.costUnits, wallSeconds: result.wallSeconds, steps: result.steps, epochs: result.epochs),
            data: dataset.sizes)
    }

    /// The run of `trial` (its weights included), with its objective and data set.
    func train(_ trial: Trial, progress: @escaping @Sendable (Double) -> Void) throws -> (RunResult, NetworkObjective, Dataset) {
        let variant = trial.variant
        let dataset = try data.dataset(variant.dataset)
        let network = try network(of: variant, on: dataset)
        let run = try NetworkRun(NetworkRunDescription(
            dataset: dataset, network: network, regularizer: variant.network.regularizer, initializer: variant.network.initializer,
            batchSize: variant.batchSize, fullBatchLimit: variant.fullBatch, fitness: variant.fitness.problemSamples,
            problemStream: RandomStream(seed: trial.seed), optimizer: variant.optimizer, stopping: variant.stoppingPlan,
            recording: variant.recording(trainingCount: dataset.train.count), measuresTrainingLoss: variant.measureTrainingLoss,
            seed: trial.seed, augmentation: try variant.network.augmentation(for: dataset), interruption: interruption), registry: registry)
        let result = try run.trainer.run { update in
            progress(update.fractionComplete)
        }
        return (result, run.objective, dataset)
    }
}

extension FitnessSpec {
    var problemSamples: Problem.FitnessSamples {
        switch self {
        case .all: .all
        case .subset(let size, true): .resampled(size: size)
        case .subset(let size, false): .fixed(size: size)
        }
    }
}

extension Variant {
    /// When the run stops: the budget's bounds, early stopping and the target loss.
    var stoppingPlan: StoppingPlan {
        StoppingPlan(
            units: budget.units, epochs: budget.epochs, seconds: budget.seconds, steps: budget.steps,
            earlyStopping: stopping.patience.map { patience in
                EarlyStopping(
                    metric: stopping.monitor == "validation-accuracy" ? .validationAccuracy : .validationLoss,
                    patience: patience, minDelta: Float(stopping.minDelta), restoreBestWeights: stopping.restoreBest)
            },
            targetLoss: stopping.targetLoss.map(Float.init))
    }

    /// When rows are recorded; `points: n` spreads n rows over the budget (over the smaller of
    /// the epoch and unit bounds, else the steps; per epoch with only a time bound).
    func recording(trainingCount: Int) -> Recording {
        switch trace {
        case .epochs(let epochs): return .epochs(epochs)
        case .steps(let steps): return .steps(steps)
        case .points(let count):
            let fromUnits = budget.units.map { Double($0) / (3 * Double(max(1, trainingCount))) }
            if let epochs = [budget.epochs, fromUnits].compactMap({ $0 }).min() {
                return .epochs(max(epochs / Double(count), 1e-9))
            }
            if let steps = budget.steps { return .steps(max(1, steps / count)) }
            return .everyEpoch
        }
    }
}
