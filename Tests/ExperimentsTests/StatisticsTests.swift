import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabExperiments

/// Expected values are derived by hand (the arithmetic is written out beside each) or read
/// from printed tables.
@Suite struct StatisticsTests {
    @Test func meanAndSampleStandardDeviation() throws {
        let sample = Sample([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(sample.mean == 5)
        // Σ(x − 5)² = 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32; sample variance 32 / 7.
        #expect(abs(try #require(sample.standardDeviation) - (32.0 / 7).squareRoot()) < 1e-12)
        #expect(Sample([3]).standardDeviation == nil)
        #expect(Sample([]).mean == nil)
    }

    @Test func studentQuantileMatchesThePrintedTable() {
        // t tables: t(0.975; 4) = 2.776, t(0.975; 9) = 2.262, t(0.975; 30) = 2.042.
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 4) - 2.776) < 5e-4)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 9) - 2.262) < 5e-4)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 30) - 2.042) < 5e-4)
    }

    @Test func confidenceIntervalOfFiveValues() throws {
        // x = 1...5: mean 3, s = √2.5, s/√5 = 0.70711, half width 2.77645 × 0.70711 = 1.96324.
        let estimate = try #require(Sample([1, 2, 3, 4, 5]).estimate())
        #expect(estimate.mean == 3)
        #expect(abs(estimate.lower - (3 - 1.96324)) < 1e-4)
        #expect(abs(estimate.upper - (3 + 1.96324)) < 1e-4)
        #expect(estimate.count == 5)
    }

    @Test func intervalOfOneValueIsDegenerate() throws {
        let estimate = try #require(Sample([0.8]).estimate())
        #expect(estimate.mean == 0.8)
        #expect(estimate.standardDeviation == nil)
        #expect(estimate.halfWidth == nil)
        #expect(estimate.lower == 0.8 && estimate.upper == 0.8)
        #expect(Sample([]).estimate() == nil)
    }

    @Test func midranksShareTiedPositions() {
        let ranking = Ranking([10, 20, 20, 30, 20])
        #expect(ranking.ranks == [1, 3, 3, 5, 3])
        #expect(ranking.tieGroupSizes == [3])
    }

    @Test func mannWhitneyExactSeparatedSamples() throws {
        // Three against three, fully separated: U = 0, and 1 of the C(6,3) = 20 arrangements
        // reaches it; two-sided p = 2 · 1/20 = 0.1.
        let test = try MannWhitney([1, 2, 3], [4, 5, 6])
        #expect(test.u == 0)
        #expect(test.isExact)
        #expect(isApproximatelyEqual(test.pValue, 0.1, absolute: 1e-12))
        // Five against five: two-sided p = 2 / C(10,5) = 2/252.
        let five = try MannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        #expect(isApproximatelyEqual(five.pValue, 2.0 / 252, absolute: 1e-12))
    }

    @Test func mannWhitneyExactInterleavedSamples() throws {
        // x = {1,3,5}, y = {2,4,6}: rank sum of x 9, U_x = 9 − 6 = 3, U_y = 6. The counts of
        // U = 0...9 over the 20 arrangements are 1,1,2,3,3,3,3,2,1,1, so P(U ≤ 3) = 7/20, p = 0.7.
        let test = try MannWhitney([1, 3, 5], [2, 4, 6])
        #expect(test.u == 3)
        #expect(isApproximatelyEqual(test.pValue, 0.7, absolute: 1e-12))
    }

    @Test func mannWhitneyNormalApproximationWithTies() throws {
        // x = {1,2,2,3}, y = {2,3,4,5}. Pooled midranks: 1→1, 2→3 (×3), 3→5.5 (×2), 4→7, 5→8.
        // Rank sum of x = 1 + 3 + 3 + 5.5 = 12.5; U_x = 12.5 − 10 = 2.5; μ = 8.
        // Ties: groups of 3 and 2: Σ(t³ − t) = 24 + 6 = 30; σ² = 16/12 · (9 − 30/56) = 11.2857.
        // z = (|2.5 − 8| − 0.5) / √11.2857 = 1.48835; p = 2·Q(z) = 0.136658.
        let test = try MannWhitney([1, 2, 2, 3], [2, 3, 4, 5])
        #expect(!test.isExact)
        #expect(test.u == 2.5)
        #expect(isApproximatelyEqual(test.pValue, 0.136658, absolute: 1e-5))
    }

    @Test func mannWhitneyAllTiedIsNotSignificant() throws {
        #expect(try MannWhitney([1, 1, 1], [1, 1, 1]).pValue == 1)
    }

    @Test func mannWhitneyRejectsEmptyAndNonFiniteSamples() {
        #expect(throws: WeightLabError.self) { try MannWhitney([], [1, 2]) }
        #expect(throws: WeightLabError.self) { try MannWhitney([1, .nan], [1, 2]) }
    }

    @Test func wilcoxonExactAllPositive() throws {
        // Five positive differences: W+ = 15, reached by 1 of the 2⁵ = 32 sign patterns;
        // two-sided p = 2/32 = 0.0625 (so five paired seeds can never reach p < 0.05).
        let test = try WilcoxonSignedRank([11, 12, 13, 14, 15], [10, 10, 10, 10, 10])
        #expect(test.wPlus == 15)
        #expect(test.isExact)
        #expect(isApproximatelyEqual(test.pValue, 0.0625, absolute: 1e-12))
    }

    @Test func wilcoxonExactMixedSigns() throws {
        // Differences 1, −2, 3, 4, 5, 6: W+ = 1+3+4+5+6 = 19, W− = 2. Subsets of ranks {1..6}
        // with sum ≤ 2 are {}, {1}, {2}: 3 of 64, so p = 2 · 3/64 = 0.09375.
        let test = try WilcoxonSignedRank([1, -2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 0])
        #expect(test.wPlus == 19)
        #expect(isApproximatelyEqual(test.pValue, 0.09375, absolute: 1e-12))
    }

    @Test func wilcoxonNormalApproximationWithZerosAndTies() throws {
        // Differences 0, 1, 1, −2, 3, 3, 3, 4: the zero is dropped (n = 7). |d| midranks:
        // 1,1 → 1.5; 2 → 3; 3,3,3 → 5; 4 → 7. W+ = 1.5+1.5+5+5+5+7 = 25, μ = 7·8/4 = 14,
        // σ² = 7·8·15/24 − (6 + 24)/48 = 35 − 0.625 = 34.375; z = (11 − 0.5)/√34.375 = 1.79089;
        // p = 2·Q(z) = 0.073312.
        let test = try WilcoxonSignedRank([0, 1, 1, -2, 3, 3, 3, 4], [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(!test.isExact)
        #expect(test.wPlus == 25)
        #expect(test.count == 7)
        #expect(isApproximatelyEqual(test.pValue, 0.073312, absolute: 1e-5))
    }

    @Test func wilcoxonRejectsUnpairedOrIdenticalSamples() {
        #expect(throws: WeightLabError.self) { try WilcoxonSignedRank([1, 2, 3], [1, 2]) }
        #expect(throws: WeightLabError.self) { try WilcoxonSignedRank([1, 2], [1, 2]) }
    }

    @Test func holmAdjustsInStepDownOrder() {
        // Sorted p: 0.01, 0.02, 0.04 with m = 3: 3·0.01 = 0.03, 2·0.02 = 0.04, 1·0.04 = 0.04,
        // returned in the input order.
        let adjusted = Holm.adjust([0.04, 0.01, 0.02])
        #expect(zip(adjusted, [0.04, 0.03, 0.04]).allSatisfy { abs($0 - $1) < 1e-12 })
        // 2·0.011 = 0.022 is below the earlier 0.03: the running maximum lifts it to 0.03.
        let lifted = Holm.adjust([0.01, 0.011, 0.9])
        #expect(zip(lifted, [0.03, 0.03, 0.9]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(Holm.adjust([0.6, 0.7]) == [1, 1])
        #expect(Holm.adjust([]) == [])
    }
}
