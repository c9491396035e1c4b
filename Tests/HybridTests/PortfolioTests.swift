import Testing
import WeightLabCore
@testable import WeightLabHybrid

/// Portfolio: equal shares to within a step, the weakest dropped at each checkpoint.
@Suite struct PortfolioTests {
    /// Three parts and 36,000 units: three segments of 12,000. In the first each part gets
    /// 4,000 units, in the second each survivor 6,000, the third belongs to the last part.
    /// Adam at a useful rate wins; SGD at 10⁻⁶ barely moves and is dropped first.
    @Test func partsShareEquallyAndTheWeakestIsDropped() throws {
        let combiner = try optimizer("""
            {"optimizer": "portfolio", "budget": 36000,
             "parts": [{"optimizer": "sgd", "learningRate": 0.000001}, {"optimizer": "adam", "learningRate": 0.02}, {"optimizer": "ga", "populationSize": 5}]}
            """)
        let result = try run(combiner, on: try Moons(), budget: 36_000)
        let rows = result.trace.rows
        let checkpoints = rows.indices.filter { rows[$0].part?.hasPrefix("checkpoint") == true }
        #expect(checkpoints.count == 2)
        let first = try #require(checkpoints.first)
        #expect(rows[first].part == "checkpoint: dropped 1:sgd")
        let stepCost = ["1:sgd": 60, "2:adam": 60, "3:ga": 1000]
        for (label, cost) in stepCost {
            let units = rows[..<first].filter { $0.part == label }.count * cost
            #expect(units >= 4000 && units < 4000 + cost, "\(label): \(units)")
        }
        let second = try #require(checkpoints.last)
        let survivors = Set(rows[(first + 1)..<second].compactMap(\.part))
        #expect(survivors == ["2:adam", "3:ga"])
        for label in survivors {
            let units = rows[(first + 1)..<second].filter { $0.part == label }.count * (stepCost[label] ?? 0)
            #expect(units >= 6000 && units < 6000 + (stepCost[label] ?? 0), "\(label): \(units)")
        }
        #expect(rows[second].part == "checkpoint: dropped 3:ga")
        #expect(Set(rows[(second + 1)...].compactMap(\.part)) == ["2:adam"])
    }
}
