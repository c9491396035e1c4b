import WeightLab

/// Turns the base settings, the `variants` list and the `grid` into resolved variants:
/// every listed variant (or the base alone) × every grid point.
///
/// A variant item is `{name: ..., SETTING: value, "path.to.value": value}`. An object value is
/// merged into the base key by key, except an optimizer specification (an object with an
/// `optimizer` field), which replaces the base's whole; a dotted path sets one value, e.g.
/// `optimizer.learningRate: 0.01` or `network.activation: tanh`. The grid maps such paths to
/// lists of values and takes their Cartesian product (keys in alphabetical order); the grid
/// point's values are appended to the variant's name (`adam learningRate=0.01`).
struct VariantExpansion {
    private(set) var variants: [Variant] = []

    init(reader: ParameterReader, base: SpecValue, quick: ParameterReader?) throws {
        let source = reader.source
        let items = try reader.list("variants")
        let grid = try Self.grid(reader)
        if items?.isEmpty == true { throw reader.error("variants", "the list is empty; list variants or remove the field") }
        if items == nil && grid.isEmpty {
            throw reader.error("variants", "missing: list the variants to compare, or give a grid")
        }
        let arms: [(name: String?, value: SpecValue?, path: String)] =
            items.map { $0.enumerated().map { (nil, $1, "variants[\($0)]") } } ?? [(nil, nil, "")]
        for arm in arms {
            for point in grid.points {
                var configuration = base
                var origins = SpecOrigins()
                var name = ""
                if let value = arm.value {
                    let item = try ParameterReader(value, path: arm.path, source: source)
                    name = try item.requiredString("name", "the variant's name")
                    origins.record("name", writtenAt: item.path(of: "name"))
                    for key in item.fields.keys.sorted() where key != "name" {
                        try Self.apply(item.fields[key]!, key: key, writtenAt: SpecPath.appending(arm.path, key: key), to: &configuration, origins: &origins, source: source)
                    }
                }
                for assignment in point {
                    try Self.apply(assignment.value, key: assignment.key, writtenAt: assignment.writtenAt, to: &configuration, origins: &origins, source: source)
                }
                if let quick {
                    for key in quick.fields.keys.sorted() where key != "seeds" {
                        try Self.apply(quick.fields[key]!, key: key, writtenAt: quick.path(of: key), to: &configuration, origins: &origins, source: source)
                        _ = quick.raw(key)
                    }
                }
                let label = point.map { "\($0.label)=\($0.valueLabel)" }.joined(separator: " ")
                name = [name, label].filter { !$0.isEmpty }.joined(separator: " ")
                variants.append(try Variant(name: name, configuration: configuration, origins: origins, source: source))
            }
        }
        try quick?.finishFields()
    }

    /// One grid assignment: a path, its value, where the value was written.
    struct Assignment {
        var key: String
        var value: SpecValue
        var writtenAt: String
        /// The path's last key, for the variant's name.
        var label: String
        var valueLabel: String
    }

    /// The grid's points: the Cartesian product of its lists; one empty point without a grid.
    struct Grid {
        var points: [[Assignment]]
        var isEmpty: Bool { points.count == 1 && points[0].isEmpty }
    }

    private static func grid(_ reader: ParameterReader) throws -> Grid {
        guard let grid = try reader.object("grid") else { return Grid(points: [[]]) }
        var points: [[Assignment]] = [[]]
        for key in grid.fields.keys.sorted() {
            let path = grid.path(of: key)
            guard let values = try grid.list(key), !values.isEmpty else {
                throw grid.error(key, "expected a non-empty list of values to try")
            }
            let components = try located(grid.source, path) { try SpecPath.components(key) }
            let label: String
            if case .key(let last)? = components.last(where: { if case .key = $0 { true } else { false } }) { label = last } else { label = key }
            let assignments = values.enumerated().map { index, value in
                Assignment(key: key, value: value, writtenAt: SpecPath.appending(path, index: index), label: label, valueLabel: valueLabel(value))
            }
            points = points.flatMap { point in assignments.map { point + [$0] } }
        }
        return Grid(points: points)
    }

    private static func valueLabel(_ value: SpecValue) -> String {
        if case .object(let fields) = value, fields["optimizer"] != nil, let spec = try? OptimizerSpec(value) {
            return spec.description
        }
        return value.description
    }

    /// Lays `value`, written at `writtenAt`, over the configuration at `key` (a setting or a
    /// dotted path into one).
    private static func apply(_ value: SpecValue, key: String, writtenAt: String, to configuration: inout SpecValue, origins: inout SpecOrigins, source: SpecSource) throws {
        let components = try located(source, writtenAt) { try SpecPath.components(key) }
        guard case .key(let setting)? = components.first, Variant.settingKeys.contains(setting) else {
            throw source.error(at: writtenAt, "'\(key)' is not a setting a variant can change; the settings are \(Variant.settingKeys.joined(separator: ", ")) and paths into them (optimizer.learningRate)")
        }
        var value = value
        if components.count == 1, setting == "optimizer", case .string(let name) = value {
            value = .object(["optimizer": .string(name)])
        }
        try overlay(value, at: components, writtenAt: writtenAt, on: &configuration, origins: &origins, source: source)
    }

    private static func overlay(_ value: SpecValue, at components: [SpecPath.Component], writtenAt: String, on configuration: inout SpecValue, origins: inout SpecOrigins, source: SpecSource) throws {
        if case .object(let fields) = value, fields["optimizer"] == nil, case .object? = configuration.value(at: components[...]) {
            for key in fields.keys.sorted() {
                try overlay(fields[key]!, at: components + [.key(key)], writtenAt: SpecPath.appending(writtenAt, key: key), on: &configuration, origins: &origins, source: source)
            }
            return
        }
        try located(source, writtenAt) { try configuration.set(value, at: components[...]) }
        origins.record(SpecPath.text(components), writtenAt: writtenAt)
    }

    /// Runs `body`, placing a thrown error at `path` in the file.
    private static func located<T>(_ source: SpecSource, _ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as WeightLabError {
            throw source.error(at: path, error.message)
        }
    }
}
