import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport

/// Output paths are checked before any work: each bad one is an error naming the option.
@Suite struct OutputPathsTests {
    @Test func badFilePathsAreErrorsNamingTheOption() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let readOnly = directory.appendingPathComponent("read-only.npy").path
        try #require(FileManager.default.createFile(atPath: readOnly, contents: Data()))
        chmod(readOnly, 0o444)
        let lockedFolder = directory.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: lockedFolder, withIntermediateDirectories: false)
        chmod(lockedFolder.path, 0o555)
        defer { chmod(lockedFolder.path, 0o755) }
        let cases: [(String, String)] = [
            ("/nonexistent/x.npy", "--save /nonexistent/x.npy: the folder /nonexistent does not exist"),
            (directory.path, "--save \(directory.path): is a folder, expected a file to write"),
            (readOnly + "/x", "--save \(readOnly)/x: \(readOnly) is a file, not a folder"),
        ]
        for (path, message) in cases {
            #expect(weightLabError { try OutputPaths.check(path, as: .file, option: "--save") }?.message == message)
        }
        // Root ignores permission bits, so the read-only cases hold only for other users.
        if getuid() != 0 {
            #expect(weightLabError { try OutputPaths.check(readOnly, as: .file, option: "--save") }?.message.hasPrefix("--save \(readOnly): is read-only") == true)
            let inside = lockedFolder.appendingPathComponent("trace.csv").path
            #expect(weightLabError { try OutputPaths.check(inside, as: .file, option: "--trace") }?.message.hasPrefix("--trace \(inside): the folder \(lockedFolder.path) is not writable") == true)
        }
        try OutputPaths.check(directory.appendingPathComponent("new.npy").path, as: .file, option: "--save")
        try OutputPaths.check(files: [("--save", nil), ("--trace", directory.appendingPathComponent("t.csv").path)])
    }

    @Test func aResultsFolderMayBeCreatedWithItsParents() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try OutputPaths.check(directory.appendingPathComponent("results/a/b").path, as: .folder, option: "--output")
        let file = directory.appendingPathComponent("file")
        try #require(FileManager.default.createFile(atPath: file.path, contents: Data()))
        #expect(weightLabError { try OutputPaths.check(file.path, as: .folder, option: "--output") }?.message == "--output \(file.path): is a file, expected a folder to write results into")
        #expect(weightLabError { try OutputPaths.check(file.path + "/sub", as: .folder, option: "--output") }?.message == "--output \(file.path)/sub: cannot be created, \(file.path) is a file")
    }
}
