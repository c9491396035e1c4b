import WeightLabCore
import WeightLabEvolutionary

/// The island model's parameters, declared once, and the builder of `Islands` from
/// `{"island": SPEC, "islands": n, "migrants": k, "interval": m, "topology": "ring" or "random"}`.
enum IslandsSpecification {
    static let islands = Parameter("islands", default: 4, .within(2...1024), "n, the islands")
    static let migrants = Parameter("migrants", default: 2, .atLeast(1), "k, the emigrants per island and migration")
    static let interval = Parameter("interval", default: 5, .atLeast(1), "m, generations between migrations")
    static let topology = Parameter(
        "topology", default: Migration.Topology.ring.rawValue, .oneOf(Migration.Topology.allCases.map(\.rawValue)),
        "`ring`: island i receives from i − 1; `random`: from another island drawn at each migration")
    static let infos = [
        PartParameters.part("island", "the population method every island runs", example: #"{"optimizer": "ga", "populationSize": 6}"#), islands.info, migrants.info, interval.info, topology.info,
    ]

    static func make(_ p: ParameterReader, _ registry: OptimizerRegistry) throws -> any WeightOptimizer {
        let islandSpec = try p.requiredPart("island", example: #"{"optimizer": "ga", "populationSize": 32}"#)
        let method = try registry.populationPart(islandSpec, for: "islands")
        return try islands(
            method, count: p.value(islands), migrants: p.value(migrants), interval: p.value(interval),
            topology: Migration.Topology(rawValue: p.value(topology)) ?? .ring)
    }

    /// Opens the population method's type to build the combiner over it.
    private static func islands<P: PopulationMethod>(
        _ population: P, count: Int, migrants: Int, interval: Int, topology: Migration.Topology
    ) throws -> any WeightOptimizer {
        try Islands(population: population, islands: count, migrants: migrants, interval: interval, topology: topology)
    }
}
