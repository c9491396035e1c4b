import Foundation
import Testing
import WeightLabCore
@testable import WeightLabExperiments

private let scripted = """
    name: scripted
    dataset: {name: digits}
    optimizer: plain-descent
    budget: {units: 1200}
    seeds: 3
    baseline: adam
    targetAccuracy: 0.5
    variants: [{name: adam}, {name: ga}, {name: boom}, {name: pso}]
    """

/// The runner's bookkeeping with a scripted executor (no training): every test is instant.
/// Serialized: the runner sets the process-wide BLAS and worker thread counts.
@Suite(.serialized) struct RunnerTests {
    private func run(_ experiment: ExperimentSpec, in directory: URL, executor: ScriptedExecutor, jobs: Int = 1, fresh: Bool = false, shard: Shard? = nil) throws -> ExperimentRunner.Outcome {
        try ExperimentRunner(
            spec: experiment, store: ResultStore(directory: directory, rendersPNG: false), executor: executor,
            options: .init(jobs: jobs, fresh: fresh, shard: shard, cores: 2)
        ).run()
    }

    @Test func runsEveryPairAndRecordsDivergedRunsAsResults() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let executor = ScriptedExecutor()
        let outcome = try run(spec(scripted), in: directory, executor: executor, jobs: 2)
        #expect(outcome.ran == 12 && outcome.skipped == 0 && outcome.failures.isEmpty)
        #expect(Set(executor.runs).count == 12)
        let row = try #require(outcome.reports.summary.row("boom"))
        #expect(row.runs == 3 && row.diverged == 3)
        let csv = try CSVTable(parsing: String(contentsOf: directory.appendingPathComponent("runs.csv"), encoding: .utf8))
        #expect(csv.rows.count == 12 * 5)
        #expect(csv.rows.filter { $0[11] == "diverged" }.count == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("runs").path).count == 12)
    }

    @Test func rerunningSkipsFinishedPairsAndRetriesFailedOnes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let experiment = try spec(scripted.replacingOccurrences(of: "{name: pso}", with: "{name: fail}"))
        let executor = ScriptedExecutor()
        let first = try run(experiment, in: directory, executor: executor)
        #expect(first.ran == 9)
        #expect(first.failures.map(\.trial) == ["fail seed 1", "fail seed 2", "fail seed 3"])
        #expect(first.failures[0].error.contains("scripted failure"))

        executor.failing = false
        let second = try run(experiment, in: directory, executor: executor)
        #expect(second.ran == 3 && second.skipped == 9 && second.failures.isEmpty)
        #expect(executor.runs.count == 12 + 3)
        #expect(executor.runs.suffix(3) == ["fail#1", "fail#2", "fail#3"])

        let third = try run(experiment, in: directory, executor: executor)
        #expect(third.ran == 0 && third.skipped == 12)
        #expect(third.reports.summary.rows.allSatisfy { $0.runs == 3 })

        let fresh = try run(experiment, in: directory, executor: executor, fresh: true)
        #expect(fresh.ran == 12 && fresh.skipped == 0)
    }

    @Test func changedSettingsMakeSavedRunsStale() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let executor = ScriptedExecutor()
        _ = try run(spec(scripted), in: directory, executor: executor)
        let changed = try spec(scripted.replacingOccurrences(of: "{name: ga}", with: "{name: ga, batchSize: 8}"))
        let outcome = try run(changed, in: directory, executor: executor)
        #expect(outcome.ran == 3 && outcome.skipped == 9)
        #expect(executor.runs.suffix(3) == ["ga#1", "ga#2", "ga#3"])
        let summary = try CSVTable(parsing: String(contentsOf: directory.appendingPathComponent("summary.csv"), encoding: .utf8))
        #expect(summary.rows.map { $0[1] } == ["3", "3", "3", "3"])
    }

    @Test func shardsSplitThePairsAndMergeIntoTheFullRun() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let experiment = try spec(scripted)
        let full = root.appendingPathComponent("full")
        _ = try run(experiment, in: full, executor: ScriptedExecutor())
        var shards: [URL] = []
        var seen: [String] = []
        for k in 1...3 {
            let directory = root.appendingPathComponent("shard-\(k)")
            let executor = ScriptedExecutor()
            let outcome = try run(experiment, in: directory, executor: executor, shard: try Shard(number: k, count: 3))
            #expect(outcome.ran == 4)
            seen += executor.runs
            shards.append(directory)
        }
        #expect(seen.count == 12 && Set(seen).count == 12)
        let merged = root.appendingPathComponent("merged")
        let outcome = try ShardMerger.merge(shards, into: merged, rendersPNG: false)
        #expect(outcome.runs == 12 && outcome.missing == 0 && outcome.duplicates == 0)
        for file in ["runs.csv", "summary.csv", "summary.md", "plots/validation-accuracy-vs-cost.svg"] {
            let a = try String(contentsOf: full.appendingPathComponent(file), encoding: .utf8)
            let b = try String(contentsOf: merged.appendingPathComponent(file), encoding: .utf8)
            #expect(a == b, "\(file) differs")
        }
        let partial = try ShardMerger.merge(Array(shards.prefix(2)), into: root.appendingPathComponent("partial"), rendersPNG: false)
        #expect(partial.runs == 8 && partial.missing == 4)
    }

    @Test func mergeRefusesShardsOfDifferentSpecs() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let a = root.appendingPathComponent("a"), b = root.appendingPathComponent("b")
        _ = try run(spec(scripted), in: a, executor: ScriptedExecutor(), shard: Shard(number: 1, count: 2))
        _ = try run(spec(scripted.replacingOccurrences(of: "seeds: 3", with: "seeds: 4")), in: b, executor: ScriptedExecutor(), shard: Shard(number: 2, count: 2))
        #expect(throws: WeightLabError.self) { try ShardMerger.merge([a, b], into: root.appendingPathComponent("m")) }
        #expect(throws: WeightLabError.self) { try ShardMerger.merge([root.appendingPathComponent("none")], into: root.appendingPathComponent("m")) }
    }

    @Test func shardSyntaxIsChecked() throws {
        #expect(try Shard(parsing: "2/8") == Shard(number: 2, count: 8))
        #expect(try Shard(parsing: "2/8").contains(9) && !Shard(parsing: "2/8").contains(8))
        for bad in ["0/4", "5/4", "1", "a/b", "1/0", "1/2/3"] {
            #expect(throws: WeightLabError.self) { try Shard(parsing: bad) }
        }
    }

    @Test func threadsPerVariantNeedOneJob() throws {
        let experiment = try spec(scripted.replacingOccurrences(of: "optimizer: plain-descent", with: "optimizer: plain-descent\nthreads: 1"))
        #expect(throws: WeightLabError.self) {
            try ExperimentRunner(spec: experiment, store: ResultStore(directory: URL(fileURLWithPath: "/tmp/unused"), rendersPNG: false), executor: ScriptedExecutor(), options: .init(jobs: 2))
        }
    }

    @Test(arguments: [1, 2])
    func anInterruptionStopsTheRunsInFlightAndTheRerunEndsWithTheSameReports(jobs: Int) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let experiment = try spec(scripted)
        let interruption = Interruption()
        // The fourth run to start asks to stop and is stopped at its next step boundary.
        let executor = StoppingExecutor(after: 3, interruption: interruption)
        let cut = directory.appendingPathComponent("cut")
        let runner = try ExperimentRunner(
            spec: experiment, store: ResultStore(directory: cut, rendersPNG: false), executor: executor,
            options: .init(jobs: jobs, cores: 2, interruption: interruption))
        var stopped: WeightLabError?
        do {
            _ = try runner.run()
        } catch let error as WeightLabError {
            stopped = error
        }
        // With two jobs the run beside the stopped one may still finish and be saved.
        let saved = try FileManager.default.contentsOfDirectory(atPath: cut.appendingPathComponent("runs").path).count
        #expect(jobs == 1 ? saved == 3 : (3...4).contains(saved), "\(saved) records")
        #expect(stopped?.kind == .interrupted)
        #expect(
            stopped?.message == "SIGTERM: \(saved) of 12 runs are saved in \(cut.path) (1 stopped part way and will start over); rerun the same command to continue",
            "\(stopped?.message ?? "the interrupted experiment ended normally")")
        #expect(executor.started <= 3 + jobs, "no run starts after the request")
        #expect(!FileManager.default.fileExists(atPath: cut.appendingPathComponent("summary.csv").path))

        let resumed = try run(experiment, in: cut, executor: ScriptedExecutor(), jobs: jobs)
        #expect(resumed.skipped == saved && resumed.ran == 12 - saved && resumed.failures.isEmpty)
        let whole = directory.appendingPathComponent("whole")
        _ = try run(experiment, in: whole, executor: ScriptedExecutor(), jobs: jobs)
        for name in ["summary.csv", "runs.csv", "summary.md"] {
            let a = FileManager.default.contents(atPath: cut.appendingPathComponent(name).path)
            #expect(a != nil && a == FileManager.default.contents(atPath: whole.appendingPathComponent(name).path), "\(name) differs")
        }
    }

    @Test func progressLinesCountRunsAndNameTheBest() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let lines = LockedLines()
        _ = try ExperimentRunner(
            spec: spec(scripted), store: ResultStore(directory: directory, rendersPNG: false), executor: ScriptedExecutor(), options: .init(cores: 2)
        ).run { total in ExperimentProgress(total: total, metric: .testAccuracy, interactive: false, write: lines.append) }
        let text = lines.text
        #expect(text.contains("[1/12] adam seed 1: completed (cost-units), test accuracy"))
        #expect(text.contains("[12/12] pso seed 3"))
        #expect(text.contains("boom seed 2: diverged at step 40"))
    }
}

/// Collects what a progress display writes.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [String] = []
    var text: String { lock.withLock { parts.joined() } }
    func append(_ text: String) { lock.withLock { parts.append(text) } }
}

/// The scripted runs, except that the run started after `count` others requests `interruption`
/// (SIGTERM) and stops as a trainer does at its next step boundary: by throwing `.interrupted`.
final class StoppingExecutor: TrialExecutor, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private let after: Int
    private let interruption: Interruption
    private let scripted = ScriptedExecutor()

    init(after: Int, interruption: Interruption) {
        self.after = after
        self.interruption = interruption
    }

    var started: Int { lock.withLock { count } }

    func run(_ trial: Trial, progress: @escaping @Sendable (Double) -> Void) throws -> TrialRecord {
        let index = lock.withLock { () -> Int in
            count += 1
            return count
        }
        if index == after + 1 {
            interruption.request(SIGTERM)
            throw WeightLabError(.interrupted, "SIGTERM at step 10: stopped without a checkpoint")
        }
        return try scripted.run(trial, progress: progress)
    }
}
