import Foundation
import Testing
import WeightLabCore
@testable import WeightLabExperiments

/// One writer per results folder: a second run refuses while the first holds the folder, and a
/// holder killed with SIGKILL leaves it free.
@Suite struct ResultsLockTests {
    private let oneTrial = """
        name: locked
        dataset: {name: digits}
        optimizer: plain-descent
        budget: {units: 1200}
        seeds: 1
        variants: [{name: adam}]
        """

    @Test func aSecondRunOnTheSameFolderRefusesWhileTheFirstHoldsIt() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var first: ResultsLock? = try ResultsLock(directory: directory)
        let runner = try ExperimentRunner(
            spec: spec(oneTrial), store: ResultStore(directory: directory, rendersPNG: false), executor: ScriptedExecutor(),
            options: .init(jobs: 1, cores: 2))
        expectError(startingWith: "\(directory.path) is being written by another weightlab run (process \(getpid())): wait for it to finish") {
            _ = try runner.run()
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs").path), "the refused run wrote nothing")
        #expect(first != nil)
        first = nil
        let outcome = try runner.run()
        #expect(outcome.ran == 1, "free again once the first lock is released")
    }

    @Test func aHolderKilledWithSIGKILLLeavesTheFolderFree() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let lockFile = directory.appendingPathComponent(".lock").path
        // flock(1) takes the same flock(2) lock, then the shell waits.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9>>'\(lockFile)'; flock -n 9 && echo locked && exec sleep 60"]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        let line = String(data: output.fileHandleForReading.availableData, encoding: .utf8) ?? ""
        #expect(line.hasPrefix("locked"))
        #expect(throws: WeightLabError.self) { try ResultsLock(directory: directory) }
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        _ = try ResultsLock(directory: directory)
    }
}
