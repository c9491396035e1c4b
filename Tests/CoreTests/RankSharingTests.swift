import Foundation
import Testing
@testable import WeightLabCore

/// `NetworkObjective` shared among ranks (here threads of one process, `ThreadWorld`): every
/// rank gets exactly the bits one process computes, for any rank count, including ranks left
/// with nothing to do. The MPI tests check the same through `mpirun`.
@Suite(.serialized) struct RankSharingTests {
    static let network = try! Network.perceptron(inputs: 6, hidden: [5], outputs: 3, activation: .tanh)

    static func data(_ count: Int) -> Samples {
        var rng = RandomStream(seed: 9)
        let features = (0..<(count * 6)).map { _ in rng.normal() }
        return Samples(features: features, featureCount: 6, labels: (0..<count).map { Int32($0 % 3) })
    }

    static func weights(_ count: Int, seed: UInt64) -> PopulationMatrix {
        var rng = RandomStream(seed: seed)
        var population = PopulationMatrix(count: count, dimension: network.parameterCount)
        for i in 0..<count { population.setRow(i, network.initialWeights(.heNormal, rng: &rng)) }
        return population
    }

    @Test(arguments: [2, 3, 5, 64])
    func populationLossesHaveTheBitsOfOneProcess(ranks: Int) throws {
        // Width 5 groups 52 individuals per first-layer product: 60 individuals are 2 groups, so
        // at 3, 5 and 64 ranks some ranks price nothing.
        for count in [1, 7, 60, 130] {
            let population = Self.weights(count, seed: UInt64(count))
            let batch = Self.data(40)
            var alone: [Float] = []
            try NetworkObjective(network: Self.network).losses(of: population, on: batch, into: &alone)
            let world = ThreadWorld(size: ranks)
            let shared = try world.run { rank in
                let objective = NetworkObjective(network: Self.network, ranks: rank)
                var losses: [Float] = []
                try objective.losses(of: population, on: batch, into: &losses)
                return (losses.map(\.bitPattern), objective.ledger.units)
            }
            for (losses, units) in shared {
                #expect(losses == alone.map(\.bitPattern), "\(count) individuals on \(ranks) ranks")
                #expect(units == count * 40, "every rank charges the whole population")
            }
        }
    }

    @Test(arguments: [2, 3, 8])
    func gradientsHaveTheBitsOfOneProcess(ranks: Int) throws {
        // 40 samples are two lanes, 300 four, 600 eight: some rank counts leave ranks idle.
        for rows in [20, 40, 300, 600] {
            let batch = Self.data(rows)
            let w = Self.weights(1, seed: 3).row(0)
            var rng = RandomStream(seed: 1)
            let alone = try NetworkObjective(network: Self.network).lossAndGradient(at: w, on: batch, rng: &rng)
            let world = ThreadWorld(size: ranks)
            let shared = try world.run { rank in
                var rng = RandomStream(seed: 1)
                let result = try NetworkObjective(network: Self.network, ranks: rank).lossAndGradient(at: w, on: batch, rng: &rng)
                return (result.loss.bitPattern, result.gradient.map(\.bitPattern))
            }
            for (loss, gradient) in shared {
                #expect(loss == alone.loss.bitPattern, "\(rows) rows on \(ranks) ranks")
                #expect(gradient == alone.gradient.map(\.bitPattern), "\(rows) rows on \(ranks) ranks")
            }
        }
    }

    @Test func collectivesSumInRankOrderAndShareContiguously() throws {
        let world = ThreadWorld(size: 3)
        let sums = try world.run { rank in
            // 1e16 + 1 − 1e16 is 0 in this order, 1 in another: the order is rank 0, 1, 2.
            try rank.allReduceSum([[1e16], [1], [-1e16]][rank.rank])
        }
        #expect(sums.allSatisfy { $0 == [0] })
        let shares = (0..<3).map { world.rank($0).share(of: 10) }
        #expect(shares == [0..<3, 3..<6, 6..<10])
        #expect(try world.run { try $0.broadcast($0.rank == 0 ? [4, 2] : [9]) }.allSatisfy { $0 == [4, 2] })
        // Rank r sends [10·r + d] to rank d: each rank receives [10·s + itself] from every s.
        let received = try world.run { rank in try rank.allToAll((0..<3).map { [UInt8(10 * rank.rank + $0)] }) }
        for (r, parts) in received.enumerated() { #expect(parts == (0..<3).map { [UInt8(10 * $0 + r)] }) }
    }
}
