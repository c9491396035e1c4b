import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport

/// The one normal sampler (the ziggurat behind `RandomStream`): its moments and tails, in
/// every form a caller draws it.
@Suite struct NormalDrawTests {
    static let n = 1_000_000

    /// Mean 0, variance 1, and the two-sided tail probabilities 2(1 − Φ(t)), including beyond
    /// the base layer's edge (3.44), where the tail sampler takes over.
    static func expectStandardNormal(_ draws: [Double], _ form: String) {
        let n = Double(draws.count)
        let mean = draws.reduce(0, +) / n
        let variance = draws.reduce(0) { $0 + $1 * $1 } / n - mean * mean
        #expect(abs(mean) < 0.005, "\(form): mean \(mean)")
        #expect(isApproximatelyEqual(variance, 1, absolute: 0.01), "\(form): variance \(variance)")
        for (t, p) in [(1.0, 0.317311), (2.0, 0.0455003), (3.0, 0.0026998), (3.5, 0.000465)] {
            let share = Double(draws.filter { abs($0) > t }.count) / n
            #expect(withinSampling(share, p, draws: draws.count), "\(form): P(|x| > \(t)) = \(share), expected \(p)")
        }
    }

    @Test func filledDrawsAreStandardNormal() {
        var draws = [Float](repeating: 0, count: Self.n)
        var rng = RandomStream(seed: 21)
        draws.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
        Self.expectStandardNormal(draws.map(Double.init), "fillNormal")
    }

    @Test func singleFloatAndDoubleDrawsAreStandardNormal() {
        var rng = RandomStream(seed: 22)
        Self.expectStandardNormal((0..<Self.n).map { _ in Double(rng.normal()) }, "normal()")
        Self.expectStandardNormal((0..<Self.n).map { _ in rng.normalDouble() }, "normalDouble()")
    }

    @Test func addedDrawsAreScaledStandardNormals() {
        var shifted = [Float](repeating: 3, count: Self.n)
        var rng = RandomStream(seed: 23)
        shifted.withUnsafeMutableBufferPointer { rng.addNormal(to: $0, standardDeviation: 0.5) }
        Self.expectStandardNormal(shifted.map { (Double($0) - 3) / 0.5 }, "addNormal")
    }

    /// Filling, adding and drawing one at a time read the same stream the same way, so a
    /// method may switch between them without changing its numbers.
    @Test func everyFormDrawsTheSameSequence() {
        var a = RandomStream(seed: 24), b = a, c = a, d = a
        var filled = [Float](repeating: 0, count: 10_000)
        var added = [Float](repeating: 0, count: 10_000)
        filled.withUnsafeMutableBufferPointer { a.fillNormal($0, mean: 0, standardDeviation: 2) }
        added.withUnsafeMutableBufferPointer { b.addNormal(to: $0, standardDeviation: 2) }
        let single = (0..<10_000).map { _ in 2 * c.normal() }
        let double = (0..<10_000).map { _ in d.normalDouble() }
        #expect(filled == single)
        #expect(added == single)
        #expect(a == c && b == c && d == c)
        #expect(zip(double, single).allSatisfy { abs(2 * $0 - Double($1)) <= 1e-6 * max(1, abs(Double($1))) })
    }
}
