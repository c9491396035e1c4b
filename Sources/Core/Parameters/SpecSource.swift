import Foundation

/// Where a specification came from: the file's name and the line of every value in it, so
/// that an error reads `experiments/x.yaml:14: variants[2].optimizer.learningRate: expected a number`.
public struct SpecSource: Sendable, Equatable {
    /// The file as the user named it.
    public let file: String
    /// The 1-based line of each value, by path (`dataset.validation`, `variants[2].optimizer`);
    /// empty for JSON, whose parser does not report positions.
    public let lines: [String: Int]

    public init(file: String, lines: [String: Int] = [:]) {
        self.file = file
        self.lines = lines
    }

    /// No file: a specification from the command line, whose errors start with the path.
    public static let none = SpecSource(file: "")

    /// An error about the value at `path`: `file:line: path: message` (`path: message` without a file).
    public func error(at path: String, _ message: String) -> WeightLabError {
        let place = file.isEmpty ? "" : location(of: path) + ": "
        return WeightLabError(.specification, "\(place)\(path.isEmpty ? "" : path + ": ")\(message)")
    }

    /// `file:line` for the value at `path`, or its nearest enclosing value with a known line.
    public func location(of path: String) -> String {
        var key = path
        while !key.isEmpty {
            if let line = lines[key] { return "\(file):\(line)" }
            key = SpecPath.parent(of: key)
        }
        return file
    }

    /// An error another component raised about a value of this file, its message starting
    /// with the value's path (as `ParameterReader` and `OptimizerRegistry` write them), placed
    /// in the file: the path is first rewritten through `origins` (from a variant's resolved
    /// configuration back to the line the user wrote).
    public func locate(_ error: any Error, origins: SpecOrigins = SpecOrigins()) -> WeightLabError {
        let message = (error as? WeightLabError)?.message ?? String(describing: error)
        let kind = (error as? WeightLabError)?.kind ?? .specification
        let end = message.firstIndex { $0 == " " || $0 == ":" } ?? message.endIndex
        let leading = String(message[..<end])
        guard SpecPath.looksLikePath(leading) else {
            return WeightLabError(kind, "\(file): \(message)")
        }
        let path = origins.origin(of: leading)
        return WeightLabError(kind, "\(location(of: path)): \(path)\(message[end...])")
    }
}

/// Where the values of a resolved configuration were written: a variant's configuration is
/// the base settings overlaid with the variant's and the grid's values, and an error about
/// `optimizer.learningRate` must point at `variants[2].optimizer.learningRate` when that is
/// where the value came from.
public struct SpecOrigins: Sendable, Equatable {
    private var rewrites: [(resolved: String, written: String)] = []

    public init() {}

    /// Records that the value at `resolved`, and everything below it, was written at `written`.
    public mutating func record(_ resolved: String, writtenAt written: String) {
        rewrites.removeAll { SpecPath.isWithin($0.resolved, resolved) }
        rewrites.append((resolved, written))
    }

    /// Where the value at `path` was written: its own path unless an override covers it.
    public func origin(of path: String) -> String {
        guard let best = rewrites.filter({ SpecPath.isWithin(path, $0.resolved) }).max(by: { $0.resolved.count < $1.resolved.count }) else {
            return path
        }
        return best.written + path.dropFirst(best.resolved.count)
    }

    public static func == (lhs: SpecOrigins, rhs: SpecOrigins) -> Bool {
        lhs.rewrites.elementsEqual(rhs.rewrites) { $0.resolved == $1.resolved && $0.written == $1.written }
    }
}
