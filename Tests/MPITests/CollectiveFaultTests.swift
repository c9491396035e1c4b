import Foundation
import Testing
@testable import WeightLabMPI

/// Faults inside a training run's collectives, and the all-gather's wire format.
@Suite(.serialized, .enabled(if: MPIRun.unavailable == nil, "\(MPIRun.unavailable ?? "")"))
struct CollectiveFaultTests {
    /// Rank 1 stopped (SIGSTOP) in the middle of an evolution strategy: rank 0 gives up on the
    /// exchange after the timeout, names rank 1, and ends the job.
    @Test func aHungRankEndsTrainingWithinTheTimeoutNamingIt() throws {
        let directory = try MPIRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = [
            "train", "--dataset", "digits", "--hidden", "16", "--optimizer", "openai-es", "--generations", "1000000",
            "--fitness-samples", "300", "--checkpoint", "es.ckpt", "--checkpoint-every", "5",
        ]
        let clock = ContinuousClock.now
        let (process, _, errors) = try MPIRun.start(ranks: 2, arguments, in: directory, environment: ["WEIGHTLAB_RANK_TIMEOUT": "3"])
        var victim: [Int32] = []
        let checkpoint = directory.appendingPathComponent("es.ckpt")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning && (victim.isEmpty || !FileManager.default.fileExists(atPath: checkpoint.path)) {
            if victim.isEmpty { victim = MPIRun.pids(ofRank: 1, under: process.processIdentifier) }
            usleep(10_000)
        }
        #expect(victim.count == 1, "rank 1's process")
        for pid in victim { kill(pid, SIGSTOP) }
        let stopped = ContinuousClock.now
        try MPIRun.wait(for: process, limit: 40)
        for pid in victim { kill(pid, SIGKILL) }
        let text = MPIRun.text(of: errors)
        #expect(process.terminationStatus != 0)
        // Rank 0 was waiting for rank 1's part, for the rest of a part rank 1 had begun to
        // send, or for rank 1 to take the whole.
        let named = [
            "Error on rank 0 of 2: no message from rank 1 reached rank 0 within 3 s",
            "Error on rank 0 of 2: rank 1 stopped sending a message of",
            "Error on rank 0 of 2: rank 1 did not take a message from rank 0 within 3 s",
        ]
        #expect(named.contains { text.contains($0) }, "\(text)")
        #expect((ContinuousClock.now - stopped).seconds < 30, "ended \((ContinuousClock.now - stopped).seconds) s after the hang, \((ContinuousClock.now - clock).seconds) s in all")
        // The last checkpoint written before the hang is whole: it resumes alone.
        let resumed = try MPIRun.run(
            ranks: nil, arguments.map { $0 == "1000000" ? "3" : $0 } + ["--resume"], in: directory)
        #expect(resumed.status == 0, "\(resumed.errors)")
    }

    @Test func gatheredPartsSurviveTheirPacking() throws {
        let parts: [[UInt8]] = [[1, 2, 3], [], [255], Array(repeating: 7, count: 1000)]
        #expect(try MPICommunicator.unpack(MPICommunicator.pack(parts)) == parts)
        let packed = MPICommunicator.pack(parts)
        #expect(throws: (any Error).self) { try MPICommunicator.unpack(Array(packed.dropLast())) }
        #expect(throws: (any Error).self) { try MPICommunicator.unpack([1, 0]) }
    }
}
