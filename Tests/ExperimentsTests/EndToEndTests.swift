import Foundation
import Testing
import WeightLabCore
@testable import WeightLabExperiments

private let moons = """
    name: moons-end-to-end
    dataset: {name: moons, samples: 240, validation: 0.25}
    network: {hidden: [8], activation: tanh, initializer: xavier}
    optimizer: {optimizer: plain-descent, learningRate: 0.5}
    budget: {epochs: 6}
    batchSize: 32
    trace: {epochs: 1}
    seeds: 2
    baseline: fast
    targetAccuracy: 0.7
    variants:
      - name: fast
      - name: slow
        optimizer.learningRate: 0.001
    """

/// A real experiment through the real executor (data set, network, run loop), small enough
/// to take a fraction of a second. Serialized: the runner sets process-wide thread counts.
@Suite(.serialized) struct EndToEndTests {
    @Test func aTinyMoonsExperimentRunsTrainsAndReports() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let experiment = try spec(moons)
        let registry = testRegistry()
        try experiment.validate(with: registry)
        let outcome = try ExperimentRunner(
            spec: experiment, store: ResultStore(directory: directory, rendersPNG: false),
            executor: NetworkTrialExecutor(registry: registry), options: .init(jobs: 2, cores: 2)
        ).run()
        #expect(outcome.ran == 4 && outcome.failures.isEmpty)
        let summary = outcome.reports.summary
        let fast = try #require(summary.row("fast")?.estimates[.testAccuracy])
        let slow = try #require(summary.row("slow")?.estimates[.testAccuracy])
        // Six epochs at learning rate 0.5 separate the moons far better than at 0.001.
        #expect(fast.mean > 0.75)
        #expect(fast.mean > slow.mean)
        let records = try ResultStore(directory: directory).currentRecords(of: ExperimentManifest(experiment)).records
        for record in records {
            #expect(record.outcome == .completed)
            #expect(record.data == "two-moons: 180 training / 60 validation / 60 test samples")
            // One row per epoch: the run loop records epochs 1...6 (plus the closing row when it differs).
            #expect(record.points.count >= 6)
            #expect(record.points.allSatisfy { $0.validationAccuracy != nil && $0.trainingLoss != nil })
            #expect(abs((record.final.epochs ?? 0) - 6) < 0.2)
        }
        // The same seed gives the same run: trace and results equal except for wall times.
        let again = try NetworkTrialExecutor(registry: registry).run(experiment.trials[0]) { _ in }
        #expect(again.points.map(\.validationAccuracy) == records[0].points.map(\.validationAccuracy))
        #expect(again.final.testAccuracy == records[0].final.testAccuracy)
    }

    @Test func missingValidationForEarlyStoppingIsReportedBeforeRunning() throws {
        let experiment = try spec(moons.replacingOccurrences(of: "validation: 0.25", with: "validation: 0") + "\nstopping: {patience: 2}\n")
        expectError(startingWith: "variant 'fast': stopping.patience needs validation samples") {
            try NetworkTrialExecutor(registry: testRegistry()).prepare(experiment.variants)
        }
    }

    @Test func aMissingDataSetFallsBack() throws {
        let experiment = try spec(moons.replacingOccurrences(of: "name: moons, samples: 240", with: "name: fashion-mnist, path: /nonexistent, fallback: moons, samples: 240"))
        let notes = LockedLines()
        let executor = NetworkTrialExecutor(registry: testRegistry()) { notes.append($0) }
        try executor.prepare(experiment.variants)
        #expect(notes.text.contains("using moons instead"))
    }
}
