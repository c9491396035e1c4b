import Foundation
import WeightLab
import Yams

/// A specification file read into values, with the line each value sits on.
///
/// YAML (`.yaml`, `.yml`) is read with Yams; scalars take YAML's types (`3`, `1e-3`, `true`,
/// quoted text). JSON (`.json`) is checked by Foundation's parser and then read the same way.
/// Any other extension is read as YAML, which also reads JSON.
public struct SpecDocument: Sendable {
    /// The whole file: an object.
    public let root: SpecValue
    /// The file's name and the lines of its values.
    public let source: SpecSource

    public init(root: SpecValue, source: SpecSource) {
        self.root = root
        self.source = source
    }

    /// Reads the file at `path`.
    public static func load(path: String) throws -> SpecDocument {
        let bytes: [UInt8]
        do { bytes = try FileBytes.readRaw(path) } catch {
            throw WeightLabError(.io, "\(path): cannot read the experiment specification (no such file, or not readable)")
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw WeightLabError(.specification, "\(path): the specification is not UTF-8 text")
        }
        return try parse(text, file: path, format: path.lowercased().hasSuffix(".json") ? .json : .yaml)
    }

    /// The two formats.
    public enum Format: Sendable { case yaml, json }

    /// Parses `text`, naming `file` in errors.
    public static func parse(_ text: String, file: String, format: Format) throws -> SpecDocument {
        let document: SpecDocument
        switch format {
        case .json: document = try parseJSON(text, file: file)
        case .yaml: document = try parseYAML(text, file: file)
        }
        guard case .object = document.root else {
            throw WeightLabError(.specification, "\(file): the specification must be an object of fields (name, dataset, optimizer, ...), got \(document.root.kindName)")
        }
        return document
    }

    /// JSON is checked with Foundation's parser, then read with Yams (JSON is YAML's flow
    /// style), which reports the line of every value.
    private static func parseJSON(_ text: String, file: String) throws -> SpecDocument {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
            throw WeightLabError(.specification, "\(file): not valid JSON: \(reason)")
        }
        return try parseYAML(text, file: file)
    }

    private static func parseYAML(_ text: String, file: String) throws -> SpecDocument {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw WeightLabError(.specification, "\(file): not valid YAML: \(error)")
        }
        guard let node else {
            throw WeightLabError(.specification, "\(file): the file is empty; expected a specification (name, dataset, optimizer, ...)")
        }
        var lines: [String: Int] = [:]
        let source = SpecSource(file: file)
        let root = try convert(node, path: "", lines: &lines, source: source)
        return SpecDocument(root: root, source: SpecSource(file: file, lines: lines))
    }

    private static func convert(_ node: Node, path: String, lines: inout [String: Int], source: SpecSource) throws -> SpecValue {
        if let mark = node.mark { lines[path] = mark.line }
        let at = SpecSource(file: source.file, lines: lines)
        switch node {
        case .scalar(let scalar):
            switch node.tag.description {
            case Tag.Name.bool.rawValue:
                if let value = node.bool { return .bool(value) }
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
                if let value = node.float { return .number(value) }
            case Tag.Name.null.rawValue:
                throw at.error(at: path, "expected a value, found nothing (null)")
            default:
                break
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .list(try sequence.enumerated().map { index, item in
                try convert(item, path: SpecPath.appending(path, index: index), lines: &lines, source: source)
            })
        case .mapping(let mapping):
            var fields: [String: SpecValue] = [:]
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let key) = keyNode else {
                    throw at.error(at: path, "keys must be plain text")
                }
                let childPath = SpecPath.appending(path, key: key.string)
                guard fields[key.string] == nil else {
                    throw SpecSource(file: source.file, lines: lines.merging([childPath: keyNode.mark?.line ?? 0]) { $1 })
                        .error(at: childPath, "the key appears twice")
                }
                fields[key.string] = try convert(valueNode, path: childPath, lines: &lines, source: source)
                if let mark = keyNode.mark { lines[childPath] = mark.line }
            }
            return .object(fields)
        case .alias:
            throw at.error(at: path, "YAML anchors and aliases are not supported; write the value out")
        }
    }
}
