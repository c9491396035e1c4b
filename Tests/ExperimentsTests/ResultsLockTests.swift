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
        // flock(1) takes the same flock(2) lock, then the shell waits. Spawned with posix_spawn:
        // Foundation's Process leaks a weak reference (AddressSanitizer's leak check).
        let ready = directory.appendingPathComponent("ready").path
        let script = "exec 9>>'\(lockFile)'; flock -n 9 && touch '\(ready)' && exec sleep 60"
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", script]
        var arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        arguments.append(nil)
        defer { arguments.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/sh", nil, nil, arguments, environ) == 0)
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: ready) { usleep(10_000) }
        #expect(FileManager.default.fileExists(atPath: ready), "the holder took the lock")
        #expect(throws: WeightLabError.self) { try ResultsLock(directory: directory) }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        _ = try ResultsLock(directory: directory)
    }
}
