import WeightLab

/// Reads the fields of one object of a specification with types, ranges and defaults, and
/// rejects fields nobody asked for (a misspelled key is an error, not a silent default).
/// Errors name the file, line and path: `x.yaml:7: dataset.validation: expected a number in [0, 1)`.
final class FieldReader {
    let fields: [String: SpecValue]
    /// The object's path in the file (`dataset`, `variants[2]`), "" for the root.
    let path: String
    let source: SpecSource
    let origins: SpecOrigins
    private var read: Set<String> = []

    init(_ value: SpecValue, path: String, source: SpecSource, origins: SpecOrigins = SpecOrigins()) throws {
        self.path = path
        self.source = source
        self.origins = origins
        guard case .object(let fields) = value else {
            throw source.error(at: origins.origin(of: path), "expected an object of fields, got \(value.kindName) (\(value))")
        }
        self.fields = fields
    }

    /// Where `key` was written, after variant overrides.
    func path(of key: String) -> String {
        origins.origin(of: SpecPath.appending(path, key: key))
    }

    /// An error about `key`.
    func error(_ key: String, _ message: String) -> WeightLabError {
        source.error(at: path(of: key), message)
    }

    /// The raw value of `key`, marking it read.
    func value(_ key: String) -> SpecValue? {
        read.insert(key)
        return fields[key]
    }

    func has(_ key: String) -> Bool { fields[key] != nil }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value, !text.isEmpty else {
            throw error(key, "expected text, got \(value.kindName) (\(value))")
        }
        return text
    }

    func requiredString(_ key: String, _ meaning: String) throws -> String {
        guard let text = try string(key) else { throw error(key, "missing: \(meaning)") }
        return text
    }

    /// One of `choices`.
    func choice(_ key: String, from choices: [String]) throws -> String? {
        guard let text = try string(key) else { return nil }
        guard choices.contains(text) else {
            throw error(key, "'\(text)' is not one of \(choices.joined(separator: ", "))")
        }
        return text
    }

    func number(_ key: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, openLower: Bool = false) throws -> Double? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value, number.isFinite else {
            throw error(key, "expected a number, got \(value.kindName) (\(value))")
        }
        guard range.contains(number), !(openLower && number == range.lowerBound) else {
            throw error(key, "\(value) is out of range: expected a number in \(openLower ? "(" : "[")\(format(range.lowerBound)), \(format(range.upperBound))]")
        }
        return number
    }

    func integer(_ key: String, atLeast minimum: Int) throws -> Int? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value, number.isFinite, number == number.rounded(), abs(number) < 1e15 else {
            throw error(key, "expected a whole number, got \(value.kindName) (\(value))")
        }
        guard Int(number) >= minimum else {
            throw error(key, "\(value) is out of range: expected a whole number ≥ \(minimum)")
        }
        return Int(number)
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw error(key, "expected true or false, got \(value.kindName) (\(value))")
        }
        return flag
    }

    func list(_ key: String) throws -> [SpecValue]? {
        guard let value = value(key) else { return nil }
        guard case .list(let items) = value else {
            throw error(key, "expected a list, got \(value.kindName) (\(value))")
        }
        return items
    }

    /// A nested object's reader.
    func object(_ key: String) throws -> FieldReader? {
        guard let value = value(key) else { return nil }
        return try FieldReader(value, path: SpecPath.appending(path, key: key), source: source, origins: origins)
    }

    /// Throws if the object holds a field nobody asked for, listing the known ones.
    func finish() throws {
        let unknown = Set(fields.keys).subtracting(read).sorted()
        guard let first = unknown.first else { return }
        throw error(first, "unknown field\(unknown.count > 1 ? "s " + unknown.joined(separator: ", ") : ""); known fields here: \(read.sorted().joined(separator: ", "))")
    }

    private func format(_ bound: Double) -> String {
        abs(bound) >= Double.greatestFiniteMagnitude ? (bound < 0 ? "-∞" : "∞") : SpecValue.number(bound).description
    }
}
