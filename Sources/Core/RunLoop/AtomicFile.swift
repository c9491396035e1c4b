import Foundation
import Synchronization

/// Writes files so that a reader sees either the old content or the new, never a torn file:
/// the bytes go to a temporary file in the same directory, are flushed to disk, and the
/// temporary file is renamed over the target (an atomic replacement on POSIX file systems).
/// On failure (a full disk, a file-size limit) the temporary file is removed, the target is
/// left as it was, and the error names the file and the system's reason
/// (`cannot write …/run.ckpt: No space left on device (4096 of 8015 bytes written)`).
public enum AtomicFile {
    private static let counter = Atomic<Int>(0)

    /// Replaces the file at `url` with `data`.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let serial = counter.add(1, ordering: .relaxed).newValue
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)-\(serial).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw WeightLabError(.io, "cannot create a temporary file in \(directory.path) to write \(url.lastPathComponent): \(reason())")
        }
        do {
            defer { close(descriptor) }
            try writeAll(data, to: descriptor, url)
            guard fsync(descriptor) == 0 else { throw WeightLabError(.io, "cannot write \(url.path): \(reason()) (flushing to disk)") }
        } catch {
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = reason()
            unlink(temporary.path)
            throw WeightLabError(.io, "cannot replace \(url.path): \(reason)")
        }
    }

    /// Writes every byte of `data`, retrying short writes and interruptions.
    private static func writeAll(_ data: Data, to descriptor: Int32, _ url: URL) throws {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var written = 0
            while written < bytes.count {
                let count = Foundation.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    throw WeightLabError(.io, "cannot write \(url.path): \(count < 0 ? reason() : "nothing written") (\(written) of \(bytes.count) bytes written)")
                }
                written += count
            }
        }
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
