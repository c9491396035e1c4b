import Foundation
import Testing

/// SIGINT and SIGTERM during `weightlab train`, `run` and `optimize`: the run stops at the next
/// step boundary, saves what it keeps (the checkpoint, the finished trials, the trace), exits
/// with 128 + the signal and says how to resume; a resumed run ends as an uninterrupted one.
@Suite(.serialized) struct InterruptionTests {
    static let arguments = [
        "train", "--dataset", "moons", "--hidden", "8", "--optimizer", "sgd", "--steps", "6000",
        "--checkpoint", "run.ckpt", "--checkpoint-every", "50", "--seed", "4",
    ]

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalSavesTheCheckpointAndTheResumedRunEndsAsAnUninterruptedOne(_ signal: Int32) throws {
        let directory = try MPIRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, _, errors) = try MPIRun.start(ranks: nil, Self.arguments + ["--save", "resumed.weights"], in: directory)
        let checkpoint = directory.appendingPathComponent("run.ckpt")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning && !FileManager.default.fileExists(atPath: checkpoint.path) { usleep(2_000) }
        #expect(process.isRunning, "the run ended before the signal: \(MPIRun.text(of: errors))")
        kill(process.processIdentifier, signal)
        try MPIRun.wait(for: process, limit: 60)
        let message = MPIRun.text(of: errors)
        #expect(process.terminationStatus == 128 + signal, "\(message)")
        #expect(message.contains("checkpoint saved to") && message.contains("--resume"), "\(message)")

        let resumed = try MPIRun.run(ranks: nil, Self.arguments + ["--save", "resumed.weights", "--resume"], in: directory)
        #expect(resumed.status == 0, "\(resumed.errors)")
        let whole = try MPIRun.run(
            ranks: nil, Self.arguments.map { $0 == "run.ckpt" ? "whole.ckpt" : $0 } + ["--save", "whole.weights"], in: directory)
        #expect(whole.status == 0, "\(whole.errors)")
        let a = FileManager.default.contents(atPath: directory.appendingPathComponent("resumed.weights").path)
        let b = FileManager.default.contents(atPath: directory.appendingPathComponent("whole.weights").path)
        #expect(a != nil && a == b, "the resumed run's weights differ from an uninterrupted run's")
    }

    /// A spec of four trials of a few seconds each (debug build).
    static let spec = """
        name: interrupted
        dataset: {name: digits, validation: 0.1}
        network: {hidden: [16], activation: relu, initializer: he}
        batchSize: 32
        budget: {units: 3e6}
        seeds: 2
        baseline: adam
        variants:
          - {name: adam, optimizer: {optimizer: adam, learningRate: 0.003}}
          - {name: ga, optimizer: {optimizer: ga, populationSize: 20}}
        """

    @Test(arguments: [(SIGINT, 2), (SIGTERM, 1)])
    func aSignalDuringRunKeepsTheFinishedTrialsAndTheResumedRunEndsWithTheSameSummary(_ signal: Int32, jobs: Int) throws {
        let directory = try MPIRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.spec.write(to: directory.appendingPathComponent("spec.yaml"), atomically: true, encoding: .utf8)
        let arguments = ["run", "spec.yaml", "--no-png", "--jobs", String(jobs), "--output"]
        let (process, _, errors) = try MPIRun.start(ranks: nil, arguments + ["cut"], in: directory)
        let runs = directory.appendingPathComponent("cut/runs")
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && process.isRunning && ((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []).isEmpty {
            usleep(5_000)
        }
        #expect(process.isRunning, "the experiment ended before the signal: \(MPIRun.text(of: errors))")
        kill(process.processIdentifier, signal)
        try MPIRun.wait(for: process, limit: 60)
        let message = MPIRun.text(of: errors)
        #expect(process.terminationStatus == 128 + signal, "\(message)")
        #expect(message.contains("weightlab: \(signal == SIGINT ? "SIGINT" : "SIGTERM"): ") && message.contains("rerun the same command to continue"), "\(message)")
        let saved = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        #expect((1..<4).contains(saved.count), "\(saved)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("cut/summary.csv").path))

        // The lock is free again: the resumed run takes it at once.
        let resumed = try MPIRun.run(ranks: nil, arguments + ["cut"], in: directory)
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(resumed.output.contains("\(saved.count) runs were already saved"), "\(resumed.output)")
        let whole = try MPIRun.run(ranks: nil, arguments + ["whole"], in: directory)
        #expect(whole.status == 0, "\(whole.errors)")
        let timeless = ["wall_seconds", "seconds_per_epoch"]
        let a = try MPIRun.csv(directory.appendingPathComponent("cut/summary.csv"), withoutColumnsStartingWith: timeless, expectEach: true)
        let b = try MPIRun.csv(directory.appendingPathComponent("whole/summary.csv"), withoutColumnsStartingWith: timeless, expectEach: true)
        #expect(a.count == 3 && a == b, "the resumed experiment's summary differs from an uninterrupted one's")
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalDuringOptimizeWritesTheTraceOfEveryStepAndSaysNothingResumes(_ signal: Int32) throws {
        let directory = try MPIRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, _, errors) = try MPIRun.start(
            ranks: nil, ["optimize", "--function", "rastrigin", "--dimension", "50", "--optimizer", "ga", "--steps", "100000000", "--trace", "trace.csv"],
            in: directory)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning && !Self.watches(signal, process.processIdentifier) { usleep(5_000) }
        #expect(Self.watches(signal, process.processIdentifier), "optimize does not watch for \(signal)")
        usleep(200_000)
        kill(process.processIdentifier, signal)
        try MPIRun.wait(for: process, limit: 60)
        let message = MPIRun.text(of: errors)
        #expect(process.terminationStatus == 128 + signal, "\(message)")
        #expect(message.contains("optimize keeps no checkpoint, so nothing resumes; the trace of its "), "\(message)")
        let lines = try String(contentsOf: directory.appendingPathComponent("trace.csv"), encoding: .utf8).split(separator: "\n")
        let steps = lines.dropFirst().map { Int($0.prefix { $0 != "," }) }
        #expect(lines.first?.hasPrefix("step,") == true && !steps.isEmpty)
        #expect(steps == (1...max(steps.count, 1)).map { $0 }, "one row per step, from 1")
        #expect(message.contains("at step \(steps.count),") && message.contains("its \(steps.count) steps"), "\(message)")
    }

    /// Whether the process `pid`, once it runs `weightlab`, no longer takes `signal`'s default
    /// action: its bit is set in the SigIgn or SigCgt mask of /proc/PID/status (the dispatch
    /// source installs a handler). Before its exec the child still holds the test runner's
    /// handlers, which the exec then resets, so the masks count only after it.
    static func watches(_ signal: Int32, _ pid: pid_t) -> Bool {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"),
              URL(fileURLWithPath: executable).resolvingSymlinksInPath() == MPIRun.binary.resolvingSymlinksInPath(),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        let masks = status.split(separator: "\n").filter { $0.hasPrefix("SigIgn:") || $0.hasPrefix("SigCgt:") }.compactMap { line in
            UInt64(line.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces), radix: 16)
        }
        return masks.count == 2 && masks.contains { $0 & (1 << UInt64(signal - 1)) != 0 }
    }
}
