import Foundation
import WeightLab

/// One writer per results folder. `ExperimentRunner.run` holds an exclusive `flock(2)` on
/// `<folder>/.lock` while it runs, and a second run on the same folder refuses at once, naming
/// the process that holds it. The kernel drops the lock when its process ends, however it ends
/// (`kill -9` included), so a crash never leaves the folder locked; the file itself stays.
public final class ResultsLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock of `directory`, creating the folder if needed.
    public init(directory: URL) throws {
        let path = directory.appendingPathComponent(".lock").path
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw WeightLabError(.io, "cannot create the results directory \(directory.path): \(error.localizedDescription)")
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WeightLabError(.io, "\(path): cannot open the results lock (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            // Through FileBytes: Foundation's readers leak on an empty file (a holder that wrote no pid).
            let holder = String(decoding: (try? FileBytes.readRaw(path)) ?? [], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw WeightLabError(
                .io,
                "\(directory.path) is being written by another weightlab run\(holder.isEmpty ? "" : " (process \(holder))"): wait for it to finish, or give this one another --output")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
