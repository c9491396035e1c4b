import WeightLabCore
import WeightLabEvolutionary

/// Builds `Islands` from `{"island": SPEC, "islands": n, "migrants": k, "interval": m,
/// "topology": "ring" or "random"}`.
enum IslandsSpecification {
    static func make(_ p: ParameterReader, _ registry: OptimizerRegistry) throws -> any WeightOptimizer {
        let islandSpec = try p.requiredPart("island", example: #"{"optimizer": "ga", "populationSize": 32}"#)
        let method = try registry.populationPart(islandSpec, for: "islands")
        let topology = try p.choice("topology", default: Migration.Topology.ring.rawValue, from: Migration.Topology.allCases.map(\.rawValue))
        return try islands(
            method, count: p.int("islands", default: 4, in: 2...1024), migrants: p.int("migrants", default: 2, in: 1...1_000_000),
            interval: p.int("interval", default: 5, in: 1...1_000_000), topology: Migration.Topology(rawValue: topology) ?? .ring)
    }

    /// Opens the population method's type to build the combiner over it.
    private static func islands<P: PopulationMethod>(
        _ population: P, count: Int, migrants: Int, interval: Int, topology: Migration.Topology
    ) throws -> any WeightOptimizer {
        try Islands(population: population, islands: count, migrants: migrants, interval: interval, topology: topology)
    }
}
