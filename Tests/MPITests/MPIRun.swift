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
    /// line when `programs` gives one argument list per rank.
    static func start(ranks: Int?, _ arguments: [String], programs: [[String]]? = nil, in directory: URL, environment extra: [String: String] = [:]) throws -> (Process, URL, URL) {
        if let problem = missingBinary { throw TestFailure(problem) }
        let process = Process()
        let output = directory.appendingPathComponent("out-\(UUID().uuidString).txt")
        let errors = directory.appendingPathComponent("err-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        if let programs {
            process.executableURL = mpirun
            process.arguments = programs.enumerated().flatMap { index, list in
                (index == 0 ? [] : [":"]) + ["-np", "1", binary.path] + list
            }
        } else if let ranks {
            process.executableURL = mpirun
            process.arguments = ["-np", String(ranks), binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        process.environment = environment(extra)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        return (process, output, errors)
    }

    /// Runs to the end (killed after `limit` seconds).
    static func run(ranks: Int?, _ arguments: [String], programs: [[String]]? = nil, in directory: URL, environment: [String: String] = [:], limit: Double = 120) throws -> Outcome {
        let clock = ContinuousClock.now
        let (process, output, errors) = try start(ranks: ranks, arguments, programs: programs, in: directory, environment: environment)
        try wait(for: process, limit: limit)
        return Outcome(
            status: process.terminationStatus, output: try String(contentsOf: output, encoding: .utf8),
            errors: try String(contentsOf: errors, encoding: .utf8), seconds: (ContinuousClock.now - clock).seconds)
    }

    /// Waits for `process`, killing it and failing after `limit` seconds.
    static func wait(for process: Process, limit: Double) throws {
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
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
