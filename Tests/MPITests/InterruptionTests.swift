import Foundation
import Testing

/// SIGINT and SIGTERM during `weightlab train`: the run stops at the next step boundary, saves
/// its checkpoint, exits with 128 + the signal and says how to resume; the resumed run ends
/// with the weights of an uninterrupted one, byte for byte.
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
}
