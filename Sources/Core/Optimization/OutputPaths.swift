import Foundation

/// Checks, before any work starts, that every file and folder a command will write can be
/// written, so a run never finishes only to fail at its last step (`--save /nonexistent/x.npy`).
/// Each path is named with the option that gave it.
///
/// A file: its folder exists and is a writable folder, and the file, if it exists, is a regular
/// file that is not read-only. A folder: it exists as a writable folder, or the nearest folder
/// above it that exists is writable (so it can be created with its parents). Nothing is
/// created or changed here.
public enum OutputPaths {
    /// What is written at a path.
    public enum Kind: Sendable {
        case file
        case folder
    }

    /// Checks one path given by `option` (for example `--save`).
    public static func check(_ path: String, as kind: Kind, option: String) throws {
        let manager = FileManager.default
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            switch kind {
            case .file where isDirectory.boolValue:
                throw WeightLabError(.io, "\(option) \(path): is a folder, expected a file to write")
            case .folder where !isDirectory.boolValue:
                throw WeightLabError(.io, "\(option) \(path): is a file, expected a folder to write results into")
            default:
                guard access(url.path, W_OK) == 0 else {
                    throw WeightLabError(.io, "\(option) \(path): is read-only (\(String(cString: strerror(errno))))")
                }
            }
            if kind == .file { try checkParent(of: url, path: path, option: option) }
            return
        }
        switch kind {
        case .file: try checkParent(of: url, path: path, option: option)
        case .folder: try checkCreatable(url, path: path, option: option)
        }
    }

    /// Checks the `(option, path)` pairs whose path is given, in order.
    public static func check(files: [(option: String, path: String?)]) throws {
        for (option, path) in files {
            if let path { try check(path, as: .file, option: option) }
        }
    }

    /// The nearest existing folder above `url` can be written into.
    private static func checkCreatable(_ url: URL, path: String, option: String) throws {
        var ancestor = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
            ancestor = ancestor.deletingLastPathComponent()
        }
        guard isDirectory.boolValue else {
            throw WeightLabError(.io, "\(option) \(path): cannot be created, \(ancestor.path) is a file")
        }
        guard access(ancestor.path, W_OK | X_OK) == 0 else {
            throw WeightLabError(.io, "\(option) \(path): cannot be created, the folder \(ancestor.path) is not writable (\(String(cString: strerror(errno))))")
        }
    }

    /// The folder that will hold `url` exists and can be written into.
    private static func checkParent(of url: URL, path: String, option: String) throws {
        let parent = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) else {
            throw WeightLabError(.io, "\(option) \(path): the folder \(parent) does not exist")
        }
        guard isDirectory.boolValue else {
            throw WeightLabError(.io, "\(option) \(path): \(parent) is a file, not a folder")
        }
        guard access(parent, W_OK | X_OK) == 0 else {
            throw WeightLabError(.io, "\(option) \(path): the folder \(parent) is not writable (\(String(cString: strerror(errno))))")
        }
    }
}
