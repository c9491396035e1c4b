import Foundation
import Testing

/// The same training run alone and at -np 1, 2 and 4 (oversubscribed on 2 cores): the traces
/// agree in every column but the wall time, bit for bit (the CSV holds shortest round-trip
/// decimals, so equal text is equal bits).
@Suite(.serialized, .enabled(if: MPIRun.unavailable == nil, "\(MPIRun.unavailable ?? "")"))
struct IdentityTests {
    /// Small runs of each kind: population methods share individuals, adam shares lanes
    /// (a batch of 256 is four lanes), islands one island per rank.
    static let runs: [(name: String, arguments: [String])] = [
        ("openai-es", ["--dataset", "digits", "--hidden", "16", "--optimizer", "openai-es", "--generations", "4", "--fitness-samples", "300"]),
        ("ga", ["--dataset", "digits", "--hidden", "16", "--optimizer", "ga", "--generations", "4", "--fitness-samples", "300"]),
        ("cma-es", ["--dataset", "moons", "--hidden", "4", "--optimizer", "cma-es", "--generations", "6"]),
        ("adam", ["--dataset", "digits", "--hidden", "16", "--optimizer", "adam", "--epochs", "2", "--batch-size", "256"]),
        ("islands", [
            "--dataset", "digits", "--hidden", "16", "--generations", "7", "--fitness-samples", "300", "--optimizer",
            #"{"optimizer": "islands", "islands": 3, "migrants": 2, "interval": 3, "island": {"optimizer": "ga", "populationSize": 16}}"#,
        ]),
    ]

    @Test(arguments: runs.map(\.name))
    func theTraceIsTheSameForEveryRankCount(_ name: String) throws {
        let arguments = ["train", "--seed", "5"] + Self.runs.first { $0.name == name }!.arguments
        let directory = try MPIRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let alone = try MPIRun.run(ranks: nil, arguments + ["--trace", "alone.csv"], in: directory)
        #expect(alone.status == 0, "\(alone.errors)")
        let reference = try MPIRun.csv(directory.appendingPathComponent("alone.csv"), without: "wall_seconds")
        #expect(reference.count >= 3)
        for ranks in [1, 2, 4] {
            let outcome = try MPIRun.run(ranks: ranks, arguments + ["--trace", "np\(ranks).csv"], in: directory)
            #expect(outcome.status == 0, "-np \(ranks): \(outcome.errors)")
            let trace = try MPIRun.csv(directory.appendingPathComponent("np\(ranks).csv"), without: "wall_seconds")
            #expect(trace == reference, "\(name) at -np \(ranks)")
            // Rank 0 alone prints the result: the ranks know they are ranks.
            #expect(outcome.output.components(separatedBy: "status ").count == 2, "\(outcome.output)")
        }
    }

    /// A checkpoint written at -np 2 resumes at -np 4 (and alone) to the weights of one
    /// uninterrupted process.
    @Test func aCheckpointResumesWithAnyRankCount() throws {
        let arguments = ["train", "--seed", "2", "--dataset", "digits", "--hidden", "16", "--optimizer", "openai-es", "--fitness-samples", "300"]
        let directory = try MPIRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let whole = try MPIRun.run(ranks: nil, arguments + ["--generations", "6", "--save", "whole.weights"], in: directory)
        #expect(whole.status == 0, "\(whole.errors)")
        let first = try MPIRun.run(ranks: 2, arguments + ["--generations", "3", "--checkpoint", "run.ckpt", "--checkpoint-every", "3"], in: directory)
        #expect(first.status == 0, "\(first.errors)")
        for ranks in [4, nil] as [Int?] {
            let name = "resumed-\(ranks ?? 0).weights"
            let resumed = try MPIRun.run(ranks: ranks, arguments + ["--generations", "6", "--checkpoint", "run.ckpt", "--resume", "--save", name], in: directory)
            #expect(resumed.status == 0, "\(resumed.errors)")
            let expected = try Self.weights(directory.appendingPathComponent("whole.weights"))
            #expect(try Self.weights(directory.appendingPathComponent(name)) == expected, "resumed at -np \(ranks ?? 0)")
        }
    }

    /// The weights of a WeightLab weights file: what follows the magic, version and JSON header
    /// (whose key order may vary from write to write).
    static func weights(_ url: URL) throws -> Data {
        let data = try Data(contentsOf: url)
        guard data.count >= 16 else { throw TestFailure("\(url.path) is too short for a weights file") }
        let header = data[12..<16].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        return data.dropFirst(16 + header)
    }

    /// Ranks started with different seeds stop at once, every one, with an error naming the rank.
    @Test func ranksWithDifferentArgumentsFailCleanly() throws {
        let directory = try MPIRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = ["train", "--dataset", "moons", "--hidden", "4", "--optimizer", "ga", "--generations", "2"]
        let outcome = try MPIRun.run(ranks: nil, [], programs: [run + ["--seed", "1"], run + ["--seed", "2"]], in: directory, limit: 30)
        #expect(outcome.status != 0)
        #expect(outcome.errors.contains("Error: rank 1 was started with another run description than rank 0"), "\(outcome.errors)")
        #expect(outcome.seconds < 20)
    }
}
