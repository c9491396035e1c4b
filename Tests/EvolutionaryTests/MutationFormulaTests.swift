import Testing
import WeightLabCore
@testable import WeightLabEvolutionary

/// Gaussian mutation adds σ·N(0, 1) to a gene (Bäck & Schwefel, 1993), never replaces it.
@Suite struct MutationFormulaTests {
    @Test(arguments: [Float(1), 0.5, 0.03])
    func gaussianMutationAddsToTheGene(_ rate: Float) throws {
        let mutation = try GaussianMutation(rate: rate, sigma: 0.01)
        let n = 20_000
        let parent = (0..<n).map { Float($0 % 11) * 10 - 50 }
        var child = parent
        var rng = RandomStream(seed: 9)
        child.withUnsafeMutableBufferPointer { mutation.mutate($0.baseAddress!, count: n, sigma: 0.01, rng: &rng) }
        let steps = zip(child, parent).map { Double($0 - $1) }
        let moved = steps.filter { $0 != 0 }
        // Every change is a small step from the parent's gene (a replacement would land near 0).
        #expect(steps.allSatisfy { abs($0) < 0.06 }, "a step larger than 6σ: the gene was replaced, not added to")
        // About rate·n genes move (5 binomial standard deviations; a step below half the
        // spacing of floats near 50, 3.6e-6, rounds away for about 1 gene in 1,000), with steps of
        // mean 0 and σ 0.01.
        let expected = Double(rate) * Double(n)
        #expect(abs(Double(moved.count) - expected) <= 5 * (expected * (1 - Double(rate))).squareRoot() + Double(n) / 1000)
        let mean = moved.reduce(0, +) / Double(moved.count)
        let deviation = (moved.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(moved.count)).squareRoot()
        #expect(abs(mean) < 5 * 0.01 / Double(moved.count).squareRoot() + 1e-5)
        #expect(abs(deviation / 0.01 - 1) < 0.1, "step deviation \(deviation)")
    }
}
