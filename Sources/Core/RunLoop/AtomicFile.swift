import Foundation
import Synchronization

/// Writes files so that a reader sees either the old content or the new, never a torn file:
/// the bytes go to a temporary file in the same directory, are flushed to disk, and the
/// temporary file is renamed over the target (an atomic replacement on POSIX file systems).
/// On failure the temporary file is removed and the target is left as it was.
public enum AtomicFile {
    private static let counter = Atomic<Int>(0)

    /// Replaces the file at `url` with `data`.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let serial = counter.add(1, ordering: .relaxed).newValue
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)-\(serial).tmp")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw WeightLabError(.io, "cannot create a temporary file in \(directory.path) to write \(url.lastPathComponent)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try handle.write(contentsOf: data)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(temporary.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                throw WeightLabError(.io, "cannot replace \(url.path): \(reason)")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? WeightLabError { throw error }
            throw WeightLabError(.io, "cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
