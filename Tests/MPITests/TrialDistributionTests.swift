import Foundation
import Testing

/// `mpirun -np N weightlab run SPEC`: the worker ranks' results folder is a single process's,
/// and a worker that dies or hangs ends the run with an error naming it, earlier runs saved.
@Suite(.serialized, .enabled(if: MPIRun.unavailable == nil, "\(MPIRun.unavailable ?? "")"))
struct TrialDistributionTests {
    /// Three variants × three seeds of a small moons experiment; `epochs` sets how long each runs.
    static func spec(epochs: Int = 6, seeds: Int = 3) -> String {
        """
        name: moons-ranks
        dataset: {name: moons, samples: 240, validation: 0.25}
        network: {hidden: [8], activation: tanh, initializer: xavier}
        optimizer: {optimizer: sgd, learningRate: 0.5}
        budget: {epochs: \(epochs)}
        batchSize: 32
        trace: {epochs: 1}
        seeds: \(seeds)
        baseline: fast
        variants:
          - name: fast
          - name: slow
            optimizer.learningRate: 0.001
          - name: ga
            optimizer: {optimizer: ga, populationSize: 10}
        """
    }

    /// The record files with their wall times blanked.
    static func records(in directory: URL) throws -> [String: String] {
        let runs = directory.appendingPathComponent("runs")
        var records: [String: String] = [:]
        // Finished records only: not the temporary file of a record being written.
        for name in try FileManager.default.contentsOfDirectory(atPath: runs.path) where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let text = try String(contentsOf: runs.appendingPathComponent(name), encoding: .utf8)
            records[name] = text.replacingOccurrences(of: #""wallSeconds" : [0-9.e+-]+"#, with: "wall", options: .regularExpression)
        }
        return records
    }

    @Test func workerRanksWriteTheResultsFolderOfOneProcess() throws {
        let directory = try MPIRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.spec().write(to: directory.appendingPathComponent("moons.yaml"), atomically: true, encoding: .utf8)
        let alone = try MPIRun.run(ranks: nil, ["run", "moons.yaml", "--output", "alone", "--no-png"], in: directory)
        #expect(alone.status == 0, "\(alone.errors)")
        let ranked = try MPIRun.run(ranks: 3, ["run", "moons.yaml", "--output", "ranks", "--no-png"], in: directory)
        #expect(ranked.status == 0, "\(ranked.errors)")
        #expect(ranked.errors.contains("on 2 worker ranks"))
        let a = directory.appendingPathComponent("alone"), b = directory.appendingPathComponent("ranks")
        let files = { (url: URL) in try FileManager.default.subpathsOfDirectory(atPath: url.path).sorted() }
        #expect(try files(a) == files(b))
        let records = try Self.records(in: a)
        #expect(records.count == 9)
        #expect(try Self.records(in: b) == records)
        #expect(try MPIRun.csv(a.appendingPathComponent("runs.csv"), without: "wall_seconds") == MPIRun.csv(b.appendingPathComponent("runs.csv"), without: "wall_seconds"))
        let timed = ["wall_seconds", "seconds_per_epoch"]
        let summary = try MPIRun.csv(a.appendingPathComponent("summary.csv"), withoutColumnsStartingWith: timed, expectEach: true)
        #expect(summary.count == 4)
        #expect(try MPIRun.csv(b.appendingPathComponent("summary.csv"), withoutColumnsStartingWith: timed) == summary)
        // Files that hold no wall time are equal byte for byte.
        #expect(try Data(contentsOf: a.appendingPathComponent("experiment.json")) == Data(contentsOf: b.appendingPathComponent("experiment.json")))
    }

    /// Kills (SIGKILL) or stops (SIGSTOP, a hang) worker rank 1 once the first run is saved.
    func fault(_ signal: Int32, timeout: Int) throws -> (MPIRun.Outcome, saved: [String: String], directory: URL) {
        let directory = try MPIRun.temporaryDirectory()
        try Self.spec(epochs: 40, seeds: 8).write(to: directory.appendingPathComponent("moons.yaml"), atomically: true, encoding: .utf8)
        let clock = ContinuousClock.now
        let (process, output, errors) = try MPIRun.start(
            ranks: 3, ["run", "moons.yaml", "--output", "out", "--no-png"], in: directory, environment: ["WEIGHTLAB_RANK_TIMEOUT": String(timeout)])
        let runs = directory.appendingPathComponent("out/runs")
        var victim: [Int32] = []
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            if victim.isEmpty { victim = MPIRun.pids(ofRank: 1, under: process.processIdentifier) }
            let saved = (try? FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }) ?? []
            if !victim.isEmpty && !saved.isEmpty { break }
            usleep(10_000)
        }
        #expect(victim.count == 1, "rank 1's process")
        let saved = try Self.records(in: directory.appendingPathComponent("out"))
        for pid in victim { kill(pid, signal) }
        try MPIRun.wait(for: process, limit: Double(timeout) + 30)
        for pid in victim { kill(pid, SIGKILL) }
        let outcome = MPIRun.Outcome(
            status: process.terminationStatus, output: MPIRun.text(of: output),
            errors: MPIRun.text(of: errors), seconds: (ContinuousClock.now - clock).seconds)
        return (outcome, saved, directory)
    }

    @Test func aKilledWorkerEndsTheRunNamingItWithEarlierRunsIntact() throws {
        let (outcome, saved, directory) = try fault(SIGKILL, timeout: 600)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(outcome.status != 0)
        #expect(outcome.errors.contains("rank 1"), "\(outcome.errors)")
        #expect(!saved.isEmpty)
        let after = try Self.records(in: directory.appendingPathComponent("out"))
        for (name, record) in saved { #expect(after[name] == record) }
        #expect(after.count < 24, "the run ended early")
    }

    /// Not under the sanitizers (`make sanitize` sets WEIGHTLAB_SANITIZER): slowed by them, rank 0
    /// can leave a healthy worker's report untaken for the whole 10 s, and that worker then ends
    /// the run naming rank 0 before rank 0 names the stopped rank. `make test` runs it.
    @Test(.disabled(if: ProcessInfo.processInfo.environment["WEIGHTLAB_SANITIZER"] != nil, "rank timings under a sanitizer"))
    func aHungWorkerEndsTheRunWithinTheTimeoutNamingIt() throws {
        let (outcome, saved, directory) = try fault(SIGSTOP, timeout: 10)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(outcome.status != 0)
        #expect(outcome.errors.contains("rank 1 lost while running"), "\(outcome.errors)")
        #expect(outcome.errors.contains("within 10 s"))
        let after = try Self.records(in: directory.appendingPathComponent("out"))
        for (name, record) in saved { #expect(after[name] == record) }
        #expect(after.count < 24, "the run ended early")
    }
}
