import Testing
@testable import WeightLabCore

/// `Parallelism.forEachRange`: the blocks tile 0..<count exactly, in the number the rule gives.
@Suite struct ParallelismTests {
    /// The ranges `forEachRange` hands out, in order of their start. Each block records its
    /// length at its start index (distinct blocks write distinct slots, so no lock is needed).
    func blocks(_ count: Int, minimumLength: Int, threads: Int) -> [Range<Int>] {
        Parallelism.withThreadCount(threads) { blocks(count, minimumLength: minimumLength) }
    }

    func blocks(_ count: Int, minimumLength: Int) -> [Range<Int>] {
        let lengths = UnsafeMutableBufferPointer<Int>.allocate(capacity: count + 1)
        defer { lengths.deallocate() }
        lengths.initialize(repeating: 0)
        Parallelism.forEachRange(count, minimumLength: minimumLength, with: lengths) { lengths, range in
            lengths[range.lowerBound] = range.count
        }
        return lengths.indices.compactMap { lengths[$0] > 0 ? $0..<($0 + lengths[$0]) : nil }
    }

    /// Worker w of W takes the indexes count·w/W ..< count·(w+1)/W, each once; a loop inside
    /// another runs serially on its caller's thread and still covers every index once.
    @Test func workersTakeContiguousChunksAndNestedLoopsRunSerially() {
        Parallelism.withThreadCount(2) { chunksAndNestedLoops() }
    }

    func chunksAndNestedLoops() {
        let workers = UnsafeMutableBufferPointer<Int>.allocate(capacity: 7)
        defer { workers.deallocate() }
        workers.initialize(repeating: -1)
        Parallelism.forEach(7, with: workers) { workers, worker, i in workers[i] = worker }
        #expect(Array(workers) == [0, 0, 0, 1, 1, 1, 1])

        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4 * 100)
        defer { hits.deallocate() }
        hits.initialize(repeating: 0)
        Parallelism.forEach(4, with: hits) { hits, _, i in
            Parallelism.forEach(100, with: (hits, i)) { arguments, _, j in
                let (hits, i) = arguments
                hits[i * 100 + j] += 1
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
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
