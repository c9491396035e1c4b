import Foundation
import Testing

/// Runs the built `weightlab` under `mpirun` (or alone) for the MPI tests, with the transport
/// settings that work in containers and as root (docs/scale-out.md).
enum MPIRun {
    /// The package root, from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `weightlab` as `swift build` leaves it (`WEIGHTLAB_BINARY` overrides).
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["WEIGHTLAB_BINARY"] { return URL(fileURLWithPath: path) }
        return packageRoot.appendingPathComponent(".build/debug/weightlab")
    }()

    /// `mpirun` on the search path, nil when OpenMPI is not installed.
    static let mpirun: URL? = {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Why the MPI tests cannot run here (OpenMPI is not installed), or nil when they can.
    static let unavailable: String? = mpirun == nil ? "mpirun not found: install openmpi-bin libopenmpi-dev (make deps does)" : nil

    /// Why the binary the tests run cannot be used (not built), or nil.
    static var missingBinary: String? {
        FileManager.default.isExecutableFile(atPath: binary.path)
            ? nil : "\(binary.path) is not built: run swift build --product weightlab before swift test (make test does)"
    }

    /// What a finished process left.
    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
        var seconds: Double
    }

    /// The environment of every run: OpenMPI as root, shared memory only, no single-copy
    /// mechanism (containers forbid it), and a short rank timeout unless given.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in [
            "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1", "OMPI_MCA_pml": "ob1",
            "OMPI_MCA_btl": "self,vader", "OMPI_MCA_btl_vader_single_copy_mechanism": "none", "OMPI_MCA_rmaps_base_oversubscribe": "1",
        ] { environment[key] = value }
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// Starts `weightlab arguments` on `ranks` ranks (nil: alone, without mpirun), or an MPMD
    /// line when `programs` gives one argument list per rank. With `fileSizeLimit` (in 512-byte
    /// blocks) the command runs under `ulimit -f` with SIGXFSZ ignored: a write past the limit
    /// fails with EFBIG, as one on a full disk fails with ENOSPC.
    static func start(
        ranks: Int?, _ arguments: [String], programs: [[String]]? = nil, in directory: URL, environment extra: [String: String] = [:],
        fileSizeLimit: Int? = nil
    ) throws -> (Spawned, URL, URL) {
        if let problem = missingBinary { throw TestFailure(problem) }
        let output = directory.appendingPathComponent("out-\(UUID().uuidString).txt")
        let errors = directory.appendingPathComponent("err-\(UUID().uuidString).txt")
        var command: [String]
        if let programs, let mpirun {
            command = [mpirun.path] + programs.enumerated().flatMap { index, list in
                (index == 0 ? [] : [":"]) + ["-np", "1", binary.path] + list
            }
        } else if let ranks, let mpirun {
            command = [mpirun.path, "-np", String(ranks), binary.path] + arguments
        } else {
            command = [binary.path] + arguments
        }
        if let fileSizeLimit {
            command = ["/bin/sh", "-c", "ulimit -f \(fileSizeLimit) && trap '' XFSZ && exec \"$0\" \"$@\""] + command
        }
        let process = try Spawned(command, in: directory, output: output, errors: errors, environment: environment(extra))
        return (process, output, errors)
    }

    /// Runs to the end (killed after `limit` seconds).
    static func run(
        ranks: Int?, _ arguments: [String], programs: [[String]]? = nil, in directory: URL, environment: [String: String] = [:], limit: Double = 120,
        fileSizeLimit: Int? = nil
    ) throws -> Outcome {
        let clock = ContinuousClock.now
        let (process, output, errors) = try start(
            ranks: ranks, arguments, programs: programs, in: directory, environment: environment, fileSizeLimit: fileSizeLimit)
        try wait(for: process, limit: limit)
        return Outcome(
            status: process.terminationStatus, output: MPIRun.text(of: output),
            errors: MPIRun.text(of: errors), seconds: (ContinuousClock.now - clock).seconds)
    }

    /// Waits for `process`, killing it and failing after `limit` seconds.
    static func wait(for process: Spawned, limit: Double) throws {
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            throw TestFailure("the run did not end within \(limit) s")
        }
    }

    /// The process ids of `parent`'s children whose environment sets `OMPI_COMM_WORLD_RANK=rank`.
    static func pids(ofRank rank: Int, under parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == parent,
                  let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environ.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == "OMPI_COMM_WORLD_RANK=\(rank)" }
        }
    }

    /// The text of a file the run wrote, read with POSIX calls (Foundation's readers leak on
    /// empty files under AddressSanitizer's leak check); empty when there is none.
    static func text(of url: URL) -> String {
        guard let file = fopen(url.path, "rb") else { return "" }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("weightlab-mpi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A CSV file without the column named `column`.
    static func csv(_ url: URL, without column: String) throws -> [String] {
        try csv(url, withoutColumnsStartingWith: [column], expectEach: true)
    }

    /// A CSV file without the columns whose names start with any of `prefixes` (its cells hold
    /// no commas: weightlab quotes none in these files); with `expectEach`, each prefix must match.
    static func csv(_ url: URL, withoutColumnsStartingWith prefixes: [String], expectEach: Bool = false) throws -> [String] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = (lines.first ?? "").split(separator: ",", omittingEmptySubsequences: false)
        let dropped = Set(header.indices.filter { i in prefixes.contains { header[i].hasPrefix($0) } })
        if expectEach, let missing = prefixes.first(where: { p in !header.contains { $0.hasPrefix(p) } }) {
            throw TestFailure("\(url.path) has no column \(missing)")
        }
        return lines.map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { !dropped.contains($0.offset) }.map(\.element).joined(separator: ",")
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// A child process started with `posix_spawn` (Foundation's `Process` leaks a weak reference,
/// which AddressSanitizer's leak check reports under `make sanitize`), through `/bin/sh`, which
/// changes to the directory and redirects the output to files.
final class Spawned {
    let processIdentifier: pid_t
    private var status: Int32?

    init(_ command: [String], in directory: URL, output: URL, errors: URL, environment: [String: String]) throws {
        func quoted(_ path: String) -> String { "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let script = "cd \(quoted(directory.path)) && exec \"$@\" > \(quoted(output.path)) 2> \(quoted(errors.path))"
        var arguments: [UnsafeMutablePointer<CChar>?] = (["/bin/sh", "-c", script, "sh"] + command).map { strdup($0) }
        arguments.append(nil)
        var variables: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") }
        variables.append(nil)
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", nil, nil, arguments, variables)
        guard result == 0 else { throw TestFailure("posix_spawn failed: \(result)") }
        processIdentifier = pid
    }

    /// Whether the process has not yet ended (reaping it once it has).
    var isRunning: Bool {
        guard status == nil else { return false }
        var raw: Int32 = 0
        guard waitpid(processIdentifier, &raw, WNOHANG) == processIdentifier else { return true }
        status = raw
        return false
    }

    /// The exit code, or 128 + the signal that ended it; waits for the end.
    var terminationStatus: Int32 {
        if status == nil {
            var raw: Int32 = 0
            waitpid(processIdentifier, &raw, 0)
            status = raw
        }
        let raw = status ?? 0
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }

    /// Ends the process (SIGKILL) and waits for it.
    func terminate() {
        kill(processIdentifier, SIGKILL)
        _ = terminationStatus
    }
}
