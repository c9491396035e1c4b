import Synchronization
import Testing
@testable import WeightLabCore

/// `Parallelism.forEachRange`: the blocks tile 0..<count exactly, in the number the rule gives.
@Suite(.serialized) struct ParallelismTests {
    /// The ranges `forEachRange` hands out, sorted by their start.
    func blocks(_ count: Int, minimumLength: Int, threads: Int) -> [Range<Int>] {
        let previous = Parallelism.threadCount
        Parallelism.setThreadCount(threads)
        defer { Parallelism.setThreadCount(previous) }
        let seen = Mutex<[Range<Int>]>([])
        Parallelism.forEachRange(count, minimumLength: minimumLength) { range in
            seen.withLock { $0.append(range) }
        }
        return seen.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
    }

    @Test(arguments: [0, 1, 7, 32_767, 65_536, 100_003])
    func blocksCoverEveryIndexExactlyOnce(_ count: Int) {
        for threads in [1, 2, 3] {
            for minimum in [1, 5, Parallelism.elementsPerBlock] {
                let ranges = blocks(count, minimumLength: minimum, threads: threads)
                // Contiguous, in order, from 0 to count, none empty: every index exactly once.
                var next = 0
                for range in ranges {
                    #expect(range.lowerBound == next && !range.isEmpty, "count \(count), \(threads) threads, minimum \(minimum): \(ranges)")
                    next = range.upperBound
                }
                #expect(next == count, "count \(count), \(threads) threads, minimum \(minimum): \(ranges)")
                // As many blocks as threads allow while each keeps `minimum` elements; one below 2 × minimum.
                let expected = count == 0 ? 0 : max(1, min(threads, count / minimum))
                #expect(ranges.count == expected, "count \(count), \(threads) threads, minimum \(minimum)")
                if ranges.count > 1 { #expect(ranges.allSatisfy { $0.count >= minimum }) }
            }
        }
    }
}
