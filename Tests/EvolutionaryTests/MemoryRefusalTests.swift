import Testing
import WeightLabCore
@testable import WeightLabEvolutionary

/// A population method whose state cannot fit in memory is refused at its start, before
/// allocating, with the estimate; one that fits starts.
@Suite struct MemoryRefusalTests {
    @Test func fullCMAESOnHundredsOfThousandsOfWeightsIsRefusedWithItsEstimate() throws {
        let d = 300_000
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: d))
        var run = RunState(problem, rng: RandomStream(seed: 1))
        let start = [Float](repeating: 0.5, count: d)
        do {
            _ = try optimizer("cma-es").start(problem, from: start, run: &run)
            Issue.record("cma-es started on 300,000 weights")
        } catch let error as WeightLabError {
            // C, B and the eigen workspace: 3 × 8 × d² bytes = 1.96 TiB.
            #expect(error.message.hasPrefix("cma-es on 300000 weights needs about 2.0 TiB (population "), "\(error.message)")
            #expect(error.message.contains("strategy state: 2.0 TiB"))
        }
        // sep-CMA-ES keeps a diagonal: it fits.
        _ = try optimizer("sep-cma-es").start(problem, from: start, run: &run)
    }
}
