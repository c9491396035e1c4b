import Testing
import WeightLabTestSupport
@testable import WeightLabCore
import WeightLabTestSupport

/// Work too large for memory is refused before anything is allocated, with the estimate.
@Suite struct MemoryEstimateTests {
    @Test func aNetworkTooLargeForMemoryIsRefusedWithItsEstimate() throws {
        // 10¹² weights: 16 TB for the weights, a gradient and two optimizer moments.
        let error = weightLabError { _ = try Network(inputWidth: 1_000_000, layers: [.dense(units: 1_000_000)]) }
        #expect(error?.message.hasPrefix("a network of 1000001000000 weights needs about 14.6 TiB (") == true, "\(error?.message ?? "no error")")
        #expect(error?.message.contains("of memory are available") == true)
        // Widths whose product overflows are an error too, not a trap.
        let overflow = weightLabError { _ = try Network(inputWidth: Int.max / 2, layers: [.dense(units: 4)]) }
        #expect(overflow?.message.contains("more than can be addressed") == true, "\(overflow?.message ?? "no error")")
    }

    @Test func theEstimateAddsItsPartsAndStatesThem() throws {
        try MemoryEstimate.check("small", needs: [("a", 10), ("b", 20)], available: 30)
        let error = weightLabError { try MemoryEstimate.check("big", needs: [("a", 3 << 30), ("b", 1 << 29)], available: 1 << 30) }
        #expect(error?.message == "big needs about 3.5 GiB (a: 3.0 GiB, b: 512.0 MiB) but 1.0 GiB of memory are available; make it smaller")
        #expect(MemoryEstimate.bytes(Int.max, 2) == nil)
        #expect(MemoryEstimate.bytes(3, 4, 5) == 60)
        #expect(MemoryEstimate.availableBytes > 0)
    }
}
