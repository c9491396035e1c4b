import Foundation
import Testing
import WeightLabCore

/// A write that fails for lack of space (a file-size limit, `ulimit -f`, with SIGXFSZ ignored:
/// the write fails with EFBIG as one on a full disk fails with ENOSPC) ends the command with a
/// non-zero status and an error naming the file; what was written before keeps its bytes, and
/// no temporary file is left behind.
@Suite(.serialized) struct FullDiskTests {
    /// The files of `directory` (recursively, hidden ones included) and their bytes, read through
    /// `FileBytes` (Foundation's readers leak on empty files under AddressSanitizer's leak check).
    static func contents(of directory: URL) -> [String: Data] {
        let files = FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String } ?? []
        var contents: [String: Data] = [:]
        for name in files {
            let path = directory.appendingPathComponent(name).path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                contents[name] = (try? FileBytes.readRaw(path)).map { Data($0) }
            }
        }
        return contents
    }

    @Test func aCheckpointThatCannotBeWrittenLeavesThePreviousOneIntact() throws {
        let directory = try MPIRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["train", "--dataset", "moons", "--hidden", "8", "--optimizer", "sgd", "--checkpoint", "run.ckpt", "--checkpoint-every", "50", "--seed", "4"]
        let first = try MPIRun.run(ranks: nil, arguments + ["--steps", "200"], in: directory)
        #expect(first.status == 0, "\(first.errors)")
        let checkpoint = directory.appendingPathComponent("run.ckpt")
        let before = Data(try FileBytes.readRaw(checkpoint.path))
        #expect(before.count > 4 * 512, "the checkpoint must be larger than the limit")

        let full = try MPIRun.run(ranks: nil, arguments + ["--steps", "400", "--resume"], in: directory, fileSizeLimit: 4)
        #expect(full.status == 1, "\(full.errors)")
        #expect(full.errors.contains("cannot write \(checkpoint.path): File too large ("), "\(full.errors)")
        #expect(Self.contents(of: directory).filter { $0.key.hasSuffix(".tmp") }.isEmpty, "a temporary file was left")
        #expect(Data(try FileBytes.readRaw(checkpoint.path)) == before, "the previous checkpoint changed")

        // The intact checkpoint still resumes.
        let resumed = try MPIRun.run(ranks: nil, arguments + ["--steps", "400", "--resume"], in: directory)
        #expect(resumed.status == 0, "\(resumed.errors)")
    }

    @Test func aTrialRecordThatCannotBeWrittenLeavesTheFinishedResultsIntact() throws {
        let directory = try MPIRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = """
            name: full-disk
            dataset: {name: digits, validation: 0.1}
            network: {hidden: [16], activation: relu, initializer: he}
            batchSize: 32
            budget: {units: 3e5}
            seeds: SEEDS
            baseline: adam
            variants:
              - {name: adam, optimizer: {optimizer: adam, learningRate: 0.003}}
              - {name: ga, optimizer: {optimizer: ga, populationSize: 20}}
            """
        let file = directory.appendingPathComponent("spec.yaml")
        let results = directory.appendingPathComponent("results")
        try spec.replacingOccurrences(of: "SEEDS", with: "[1]").write(to: file, atomically: true, encoding: .utf8)
        let first = try MPIRun.run(ranks: nil, ["run", "spec.yaml", "--no-png", "--output", "results"], in: directory)
        #expect(first.status == 0, "\(first.errors)")
        let before = Self.contents(of: results)
        #expect(before["summary.csv"] != nil && before.keys.filter { $0.hasPrefix("runs/") }.count == 2)

        // A second seed: the manifest fits under the limit, a trial's record does not.
        try spec.replacingOccurrences(of: "SEEDS", with: "[1, 2]").write(to: file, atomically: true, encoding: .utf8)
        let manifest = try #require(before["experiment.json"]).count
        let record = before.filter { $0.key.hasPrefix("runs/") }.map(\.value.count).min() ?? 0
        let blocks = (manifest + 600) / 512 + 1
        #expect(blocks * 512 < record, "the limit must lie between the manifest's size and a record's")
        let full = try MPIRun.run(ranks: nil, ["run", "spec.yaml", "--no-png", "--output", "results"], in: directory, fileSizeLimit: blocks)
        #expect(full.status == 1, "\(full.errors)")
        #expect(full.errors.contains("cannot write \(results.path)/runs/") && full.errors.contains("seed-2.json: File too large ("), "\(full.errors)")
        let after = Self.contents(of: results)
        #expect(after.keys.filter { $0.hasSuffix(".tmp") }.isEmpty, "a temporary file was left")
        for (name, bytes) in before where name != "experiment.json" && name != ".lock" {
            #expect(after[name] == bytes, "\(name) changed")
        }
        #expect(after.keys.filter { $0.hasPrefix("runs/") }.count == 2, "a record was added")

        // With room again the same command finishes the experiment.
        let resumed = try MPIRun.run(ranks: nil, ["run", "spec.yaml", "--no-png", "--output", "results"], in: directory)
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(Self.contents(of: results).keys.filter { $0.hasPrefix("runs/") }.count == 4)
    }
}
