/// Maps a name and its parameters, as they appear in an experiment file or on the command
/// line, to an optimizer. A new optimizer is added by conforming to `WeightOptimizer` and
/// registering a factory; nothing else in the framework changes.
///
/// A registry is a value: `OptimizerRegistry.standard` is built once and never changes, and a
/// user's optimizers go into a registry of their own, copied from it
/// (`var mine = OptimizerRegistry.standard; mine.register(...)`), which they hand to the
/// experiment runner. No global table can change under a running experiment.
public struct OptimizerRegistry: Sendable {
    /// Builds an optimizer from its specification; reads parameters through the reader
    /// (which the registry finishes, rejecting unknown ones). Combiners build their parts
    /// through the registry they are given.
    public typealias Factory = @Sendable (_ parameters: ParameterReader, _ registry: OptimizerRegistry) throws -> any WeightOptimizer

    /// One registered optimizer.
    public struct Entry: Sendable {
        public let name: String
        public let family: String
        public let summary: String
        /// Every parameter the factory reads, declared once: `weightlab optimizers NAME` and
        /// the tables in docs/ print them.
        public let parameters: [ParameterInfo]
        public let factory: Factory
    }

    private var entries: [String: Entry] = [:]

    public init() {}

    /// Registers `factory` under `name`, replacing an earlier entry of that name; `parameters`
    /// are the declarations of what it reads.
    public mutating func register(_ name: String, family: String, summary: String, parameters: [ParameterInfo] = [], factory: @escaping Factory) {
        entries[name] = Entry(name: name, family: family, summary: summary, parameters: parameters, factory: factory)
    }

    /// Registers a factory that reads only its own parameters (no parts to build through the
    /// registry): what every optimizer but a combiner needs.
    public mutating func register(
        _ name: String, family: String, summary: String, parameters: [ParameterInfo] = [],
        factory: @escaping @Sendable (_ parameters: ParameterReader) throws -> any WeightOptimizer
    ) {
        register(name, family: family, summary: summary, parameters: parameters) { reader, _ in try factory(reader) }
    }

    /// The entry registered under `name`.
    public func entry(_ name: String) -> Entry? { entries[name] }

    /// The registered names, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// The registered entries, sorted by family then name.
    public var all: [Entry] { entries.values.sorted { ($0.family, $0.name) < ($1.family, $1.name) } }

    /// The optimizer a specification names, with its parameters validated.
    public func make(_ spec: OptimizerSpec) throws -> any WeightOptimizer {
        guard let entry = entries[spec.name] else {
            throw WeightLabError(.specification, "\(spec.path): unknown optimizer '\(spec.name)'; known: \(names.joined(separator: ", "))")
        }
        let reader = ParameterReader(spec)
        let optimizer = try entry.factory(reader, self)
        try reader.finish(declared: entry.parameters.map(\.name))
        return optimizer
    }
}
