/// The accessors of `ParameterReader` for the objects of an experiment file: typed fields
/// whose errors name the file, line and path (`x.yaml:7: dataset.validation: ...`).
extension ParameterReader {
    /// Where `key` was written, after variant overrides.
    public func path(of key: String) -> String {
        origins.origin(of: SpecPath.appending(path, key: key))
    }

    /// `file:line` of the value at `path` (already placed through `origins`).
    public func location(of path: String) -> String {
        source.location(of: path)
    }

    /// An error about the value at `path` (already placed through `origins`): `file:line: path: message`.
    public func error(at path: String, _ message: String) -> WeightLabError {
        source.error(at: path, message)
    }

    /// An error about `key`.
    public func error(_ key: String, _ message: String) -> WeightLabError {
        error(at: path(of: key), message)
    }

    /// Whether the object has `key` (without marking it read).
    public func has(_ key: String) -> Bool { fields[key] != nil }

    /// Non-empty text.
    public func string(_ key: String) throws -> String? {
        guard let value = raw(key) else { return nil }
        guard case .string(let text) = value, !text.isEmpty else {
            throw error(key, "expected text, got \(value.kindName) (\(value))")
        }
        return text
    }

    /// Text that must be present; `meaning` says what it is in the error.
    public func requiredString(_ key: String, _ meaning: String) throws -> String {
        guard let text = try string(key) else { throw error(key, "missing: \(meaning)") }
        return text
    }

    /// One of `choices`.
    public func choice(_ key: String, from choices: [String]) throws -> String? {
        guard let text = try string(key) else { return nil }
        guard choices.contains(text) else {
            throw error(key, "'\(text)' is not one of \(choices.joined(separator: ", "))")
        }
        return text
    }

    /// A finite number in `range` (excluding its lower bound when `openLower`).
    public func number(_ key: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, openLower: Bool = false) throws -> Double? {
        guard let value = raw(key) else { return nil }
        guard case .number(let number) = value, number.isFinite else {
            throw error(key, "expected a number, got \(value.kindName) (\(value))")
        }
        guard range.contains(number), !(openLower && number == range.lowerBound) else {
            throw error(key, "\(value) is out of range: expected a number in \(openLower ? "(" : "[")\(bound(range.lowerBound)), \(bound(range.upperBound))]")
        }
        return number
    }

    /// A whole number ≥ `minimum`.
    public func integer(_ key: String, atLeast minimum: Int) throws -> Int? {
        guard let value = raw(key) else { return nil }
        guard case .number(let number) = value, number.isFinite, number == number.rounded(), abs(number) < 1e15 else {
            throw error(key, "expected a whole number, got \(value.kindName) (\(value))")
        }
        guard Int(number) >= minimum else {
            throw error(key, "\(value) is out of range: expected a whole number ≥ \(minimum)")
        }
        return Int(number)
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let value = raw(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw error(key, "expected true or false, got \(value.kindName) (\(value))")
        }
        return flag
    }

    public func list(_ key: String) throws -> [SpecValue]? {
        guard let value = raw(key) else { return nil }
        guard case .list(let items) = value else {
            throw error(key, "expected a list, got \(value.kindName) (\(value))")
        }
        return items
    }

    /// A nested object's reader, in the same file.
    public func object(_ key: String) throws -> ParameterReader? {
        guard let value = raw(key) else { return nil }
        return try ParameterReader(
            value, path: SpecPath.appending(path, key: key), source: source, origins: origins)
    }

    /// Throws if the object holds a field nobody asked for, listing the fields read (an
    /// experiment file's objects; an optimizer's parameters end with `finish(declared:)`).
    public func finishFields() throws {
        let unknown = Set(fields.keys).subtracting(read).sorted()
        guard let first = unknown.first else { return }
        throw error(first, "unknown field\(unknown.count > 1 ? "s " + unknown.joined(separator: ", ") : ""); known fields here: \(read.sorted().joined(separator: ", "))")
    }

    private func bound(_ value: Double) -> String {
        abs(value) >= Double.greatestFiniteMagnitude ? (value < 0 ? "-∞" : "∞") : SpecValue.number(value).description
    }
}
