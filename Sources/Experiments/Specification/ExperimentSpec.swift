import Foundation
import WeightLab

/// An experiment: variants × seeds, each pair one run, summarized and compared with a baseline.
/// Read from YAML or JSON and validated completely before anything runs; every error names
/// the file, line and field. See `docs/experiments.md` for every field.
public struct ExperimentSpec: Sendable {
    /// The fields only the top level holds; every other key is a variant setting.
    static let topLevelKeys = ["name", "description", "survey", "seeds", "variants", "grid", "metrics", "baseline", "targetAccuracy", "comparison", "quick"]

    /// Names the results directory (`results/NAME`).
    public var name: String
    public var description: String?
    /// What the survey this experiment reproduces concluded, shown beside the measurements.
    public var survey: String?
    /// Every variant runs once per seed.
    public var seeds: [UInt64]
    public var variants: [Variant]
    /// The metrics the summary shows.
    public var metrics: [Metric]
    public var comparison: Comparison
    /// The variant the others are tested against; nil for no tests.
    public var baseline: String?
    /// The validation accuracy whose first crossing `cost-to-target` measures.
    public var targetAccuracy: Double?
    /// Whether the quick (smoke-test) reduction was applied.
    public var quick: Bool
    public var source: SpecSource

    /// Reads and validates the file at `path`.
    public static func load(path: String, quick: Bool = false) throws -> ExperimentSpec {
        try ExperimentSpec(SpecDocument.load(path: path), quick: quick)
    }

    public init(_ document: SpecDocument, quick: Bool = false) throws {
        let source = document.source
        let reader = try ParameterReader(document.root, path: "", source: source)
        self.source = source
        self.quick = quick
        name = try reader.requiredString("name", "the experiment's name (it names the results directory)")
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), name.first != "." else {
            throw reader.error("name", "'\(name)' names a directory: use letters, digits, '-', '_' and '.'")
        }
        description = try reader.string("description")
        survey = try reader.string("survey")
        let quickBlock = quick ? try reader.object("quick") : nil
        if !quick { _ = reader.raw("quick") }
        seeds = try Self.seeds(reader, quick: quickBlock)
        if quick && quickBlock == nil { seeds = Array(seeds.prefix(2)) }

        var base = SpecValue.object([:])
        for key in Variant.settingKeys {
            if let value = reader.raw(key) { base = try Self.normalized(base, setting: key, to: value) }
        }
        variants = try VariantExpansion(reader: reader, base: base, quick: quickBlock).variants
        try Self.checkUnique(variants, reader)

        if let items = try reader.list("metrics") {
            metrics = try items.enumerated().map { index, item in
                guard case .string(let text) = item, let metric = Metric(rawValue: text) else {
                    throw source.error(at: "metrics[\(index)]", "'\(item)' is not a metric; known: \(Metric.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return metric
            }
        } else {
            metrics = Metric.standard
        }
        comparison = try Self.comparison(reader)
        baseline = try reader.string("baseline")
        if let baseline, !variants.contains(where: { $0.name == baseline }) {
            throw reader.error("baseline", "'\(baseline)' is not a variant; the variants are: \(variants.map(\.name).joined(separator: ", "))")
        }
        targetAccuracy = try reader.number("targetAccuracy", in: 0...1, openLower: true)
        if metrics.contains(.costToTarget) && targetAccuracy == nil {
            metrics.removeAll { $0 == .costToTarget }
        }
        try reader.finishFields()
        if quick && quickBlock == nil { variants = try variants.map { try Self.reducedForQuickMode($0, source: source) } }
    }

    /// Checks every variant's optimizer against `registry` (names and parameters), so that a
    /// bad value fails before the first run rather than in the middle of the experiment.
    public func validate(with registry: OptimizerRegistry) throws {
        for variant in variants {
            do {
                _ = try registry.make(variant.optimizer)
            } catch {
                throw source.locate(error, origins: variant.origins)
            }
            if variant.threads != nil && variants.contains(where: { $0.threads == nil }) {
                throw source.error(at: variant.origins.origin(of: "threads"), "when one variant sets threads every variant must (they are compared on equal terms)")
            }
        }
    }

    /// The variant called `name`.
    public func variant(named name: String) -> Variant? {
        variants.first { $0.name == name }
    }

    // MARK: - Pieces

    private static func seeds(_ reader: ParameterReader, quick: ParameterReader?) throws -> [UInt64] {
        let key = "seeds"
        let owner = (quick?.has(key) == true ? quick : nil) ?? reader
        if owner !== reader { _ = reader.raw(key) }
        guard let value = owner.raw(key) else { return Array(1...5) }
        switch value {
        case .number:
            let count = try owner.integer(key, atLeast: 1) ?? 5
            return (1...count).map(UInt64.init)
        case .list(let items):
            guard !items.isEmpty else { throw owner.error(key, "expected at least one seed") }
            let seeds = try items.enumerated().map { index, item -> UInt64 in
                guard case .number(let seed) = item, seed >= 0, seed == seed.rounded(), seed < 9e15 else {
                    throw owner.error(at: owner.path(of: key) + "[\(index)]", "expected a seed (a whole number ≥ 0), got \(item)")
                }
                return UInt64(seed)
            }
            guard Set(seeds).count == seeds.count else { throw owner.error(key, "a seed is listed twice") }
            return seeds
        default:
            throw owner.error(key, "expected a count of seeds (5) or a list of seeds ([1, 2, 3]), got \(value.kindName)")
        }
    }

    private static func comparison(_ reader: ParameterReader) throws -> Comparison {
        guard let object = try reader.object("comparison") else { return Comparison() }
        var comparison = Comparison()
        if let metric = try object.choice("metric", from: Metric.allCases.map(\.rawValue)).flatMap(Metric.init(rawValue:)) {
            comparison.metric = metric
        }
        if let test = try object.choice("test", from: Comparison.Test.allCases.map(\.rawValue)).flatMap(Comparison.Test.init(rawValue:)) {
            comparison.test = test
        }
        comparison.alpha = try object.number("alpha", in: 0...0.5, openLower: true) ?? 0.05
        try object.finishFields()
        return comparison
    }

    /// The base settings with `key` set; a bare optimizer name becomes `{optimizer: NAME}`
    /// so that grids can address its parameters.
    static func normalized(_ base: SpecValue, setting key: String, to value: SpecValue) throws -> SpecValue {
        var result = base
        var value = value
        if key == "optimizer", case .string(let name) = value { value = .object(["optimizer": .string(name)]) }
        try result.set(value, at: [.key(key)])
        return result
    }

    private static func checkUnique(_ variants: [Variant], _ reader: ParameterReader) throws {
        var seen: Set<String> = []
        for variant in variants where !seen.insert(variant.name).inserted {
            throw reader.error(at: variant.origins.origin(of: "name"), "the variant name '\(variant.name)' is used twice; names must be unique")
        }
    }

    /// Quick mode without a `quick` block: budgets ÷ 10, at most 2,000 training and 1,000 test
    /// samples (500 generated for synthetic sets).
    static func reducedForQuickMode(_ variant: Variant, source: SpecSource) throws -> Variant {
        var configuration = variant.configuration
        for key in ["units", "epochs", "seconds", "steps"] {
            if case .number(let bound)? = configuration.value(at: [.key("budget"), .key(key)]) {
                let scaled = key == "units" || key == "steps" ? max(1, (bound / 10).rounded()) : bound / 10
                try configuration.set(.number(scaled), at: [.key("budget"), .key(key)])
            }
        }
        func cap(_ key: String, _ limit: Double) throws {
            let current: Double
            if case .number(let value)? = configuration.value(at: [.key("dataset"), .key(key)]) { current = value } else { current = .infinity }
            try configuration.set(.number(min(current, limit)), at: [.key("dataset"), .key(key)])
        }
        if case .string(let name)? = configuration.value(at: [.key("dataset"), .key("name")]), DatasetSpec.synthetic.contains(name) {
            try cap("samples", 500)
        } else {
            try cap("trainSubset", 2000)
            try cap("testSubset", 1000)
        }
        return try Variant(name: variant.name, configuration: configuration, origins: variant.origins, source: source)
    }
}
