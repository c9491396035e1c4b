import Foundation

/// Paths into a specification, as errors print them and as variants and grids address
/// values: `dataset.validation`, `variants[2].optimizer.learningRate`, `optimizer.parts[1].name`.
public enum SpecPath {
    /// One step of a path: an object's key or a list's index.
    public enum Component: Equatable {
        case key(String)
        case index(Int)
    }

    /// The path of `key` inside the value at `path`.
    public static func appending(_ path: String, key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    /// The path of item `index` of the list at `path`.
    public static func appending(_ path: String, index: Int) -> String {
        path + "[\(index)]"
    }

    /// The enclosing value's path (`a.b[2]` → `a.b` → `a` → ``).
    public static func parent(of path: String) -> String {
        guard let last = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return "" }
        return String(path[..<last])
    }

    /// Whether `path` is `ancestor` or lies below it.
    public static func isWithin(_ path: String, _ ancestor: String) -> Bool {
        guard path.hasPrefix(ancestor) else { return false }
        let rest = path.dropFirst(ancestor.count)
        return rest.isEmpty || rest.first == "." || rest.first == "["
    }

    /// Whether `text` has the shape of a path (so an error message starting with it names a value).
    public static func looksLikePath(_ text: String) -> Bool {
        (try? components(text)) != nil
    }

    /// Splits `a.b[2].c` into its components; throws unless the path is keys separated by
    /// dots, each optionally followed by list indexes in brackets.
    public static func components(_ path: String) throws -> [Component] {
        let invalid = WeightLabError(.specification, "'\(path)' is not a valid path: expected keys separated by '.', with list indexes in brackets (optimizer.parts[1].learningRate)")
        var result: [Component] = []
        var rest = Substring(path)
        func readKey() throws {
            let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
            let key = rest[..<end]
            guard !key.isEmpty, !key.contains(where: { " ]:=,\"'{}".contains($0) }) else { throw invalid }
            result.append(.key(String(key)))
            rest = rest[end...]
        }
        try readKey()
        while let first = rest.first {
            rest = rest.dropFirst()
            if first == "." {
                try readKey()
            } else {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[..<close]), index >= 0 else { throw invalid }
                result.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        return result
    }

    /// The path written back from its components.
    public static func text(_ components: some Sequence<Component>) -> String {
        components.reduce("") { path, component in
            switch component {
            case .key(let key): appending(path, key: key)
            case .index(let index): appending(path, index: index)
            }
        }
    }
}

extension SpecValue {
    /// The value at `components` below this one, or nil when the path leads nowhere.
    public func value(at components: ArraySlice<SpecPath.Component>) -> SpecValue? {
        guard let first = components.first else { return self }
        switch (self, first) {
        case (.object(let fields), .key(let key)):
            return fields[key]?.value(at: components.dropFirst())
        case (.list(let items), .index(let index)) where index < items.count:
            return items[index].value(at: components.dropFirst())
        default:
            return nil
        }
    }

    /// Replaces the value at `components` with `newValue`, creating objects for missing keys.
    /// Throws (naming the path walked so far) when the path crosses a value that is not an
    /// object or list, or indexes past a list's end.
    public mutating func set(_ newValue: SpecValue, at components: ArraySlice<SpecPath.Component>, walked: [SpecPath.Component] = []) throws {
        guard let first = components.first else {
            self = newValue
            return
        }
        let here = SpecPath.text(walked)
        switch (self, first) {
        case (.object(var fields), .key(let key)):
            var child = fields[key] ?? .object([:])
            try child.set(newValue, at: components.dropFirst(), walked: walked + [first])
            fields[key] = child
            self = .object(fields)
        case (.list(var items), .index(let index)):
            guard index < items.count else {
                throw WeightLabError(.specification, "\(here) has \(items.count) items; there is no item [\(index)]")
            }
            try items[index].set(newValue, at: components.dropFirst(), walked: walked + [first])
            self = .list(items)
        case (_, .key(let key)):
            throw WeightLabError(.specification, "\(here.isEmpty ? "the value" : here) is \(self.kindName), not an object: it has no field '\(key)'")
        case (_, .index(let index)):
            throw WeightLabError(.specification, "\(here.isEmpty ? "the value" : here) is \(self.kindName), not a list: it has no item [\(index)]")
        }
    }

    /// "a number", "a string", ... for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .number: "a number"
        case .string: "a string"
        case .bool: "a boolean"
        case .list: "a list"
        case .object: "an object"
        }
    }
}
