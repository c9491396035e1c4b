import WeightLabCore

/// A population of `count` individuals of `network`, drawn one after another from its He-normal
/// initializer with one stream seeded `seed`: the fixture of the population-evaluation tests.
public func heNormalPopulation(of network: Network, count: Int, seed: UInt64) throws -> PopulationMatrix {
    var rng = RandomStream(seed: seed)
    return try PopulationMatrix(rows: (0..<count).map { _ in network.initialWeights(.heNormal, rng: &rng) })
}
