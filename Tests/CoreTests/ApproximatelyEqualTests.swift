import Testing
import WeightLabTestSupport

/// The tests' one approximate comparison must itself tell near from far.
@Suite struct ApproximatelyEqualTests {
    @Test func toleratesOnlyTheGivenDifference() {
        #expect(isApproximatelyEqual(Float(1), 1.0005, absolute: 1e-3))
        #expect(!isApproximatelyEqual(Float(1), 1.002, absolute: 1e-3))
        #expect(isApproximatelyEqual(1000.0, 1000.5, relative: 1e-3))
        #expect(!isApproximatelyEqual(1000.0, 1002, relative: 1e-3))
        #expect(!isApproximatelyEqual(Float.nan, .nan, absolute: 1))
        #expect(isApproximatelyEqual(Float.infinity, .infinity))
    }
}
