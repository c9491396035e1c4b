import Foundation
import Synchronization
import Testing
@testable import WeightLabCore

/// `Parallelism.withThreadCount` gives a comparison across thread counts a count and a worker
/// pool that tests running beside it cannot take away. Tests run in parallel, and the experiment
/// runner sets the process-wide count, so without it a "one against two threads" test could
/// compare two serial runs and pass whatever the code does.
@Suite struct ThreadCountIsolationTests {
    /// A planted thread-dependent sum: each worker sums its chunk, then the partial sums are
    /// added, so the rounding follows the split. On 10⁸ followed by 1,000 ones, one worker loses
    /// every one (10⁸'s float spacing is 8); with two, the second chunk's ones survive.
    static func chunkedSum(_ values: [Float]) -> Float {
        let partial = UnsafeMutableBufferPointer<Float>.allocate(capacity: 4)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0)
        values.withUnsafeBufferPointer { values in
            Parallelism.forEach(values.count, with: (values, partial)) { arguments, worker, i in
                arguments.1[worker] += arguments.0[i]
            }
        }
        return partial.reduce(0, +)
    }

    static let planted: [Float] = [1e8] + [Float](repeating: 1, count: 1000)

    /// While another thread's loop holds the worker pool (its parts sleep 30 ms), a comparison of
    /// one worker against two still sees the planted difference: its two-worker sum waits for the
    /// pool instead of running serially. Each scope reads its own count, not the neighbour's.
    @Test func aPlantedThreadDependentSumIsCaughtWhileANeighbourHoldsThePool() {
        for _ in 0..<3 {
            let holding = DispatchSemaphore(value: 0)
            let done = DispatchSemaphore(value: 0)
            let neighbour = Thread {
                Parallelism.withThreadCount(3) {
                    Parallelism.forEach(3, with: holding) { holding, worker, _ in
                        if worker == 0 { holding.signal() }
                        usleep(30_000)
                    }
                }
                done.signal()
            }
            neighbour.start()
            holding.wait()
            let two = Parallelism.withThreadCount(2) { (Self.chunkedSum(Self.planted), Parallelism.threadCount) }
            let one = Parallelism.withThreadCount(1) { (Self.chunkedSum(Self.planted), Parallelism.threadCount) }
            done.wait()
            #expect(one.0 == 1e8, "one worker loses every one")
            #expect(two.0 >= 1e8 + 496, "two workers: the second chunk's 501 ones survive")
            #expect(one.1 == 1 && two.1 == 2, "each scope saw its own count")
        }
    }

    /// A loop nested in a scoped loop's part is still refused (it runs serially), not waited for.
    @Test func aNestedLoopInsideAScopeRunsSeriallyInsteadOfWaiting() {
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * 50)
        defer { hits.deallocate() }
        hits.initialize(repeating: 0)
        Parallelism.withThreadCount(2) {
            Parallelism.forEach(2, with: hits) { hits, _, i in
                Parallelism.forEach(50, with: (hits, i)) { arguments, worker, j in
                    arguments.0[arguments.1 * 50 + j] += 1 + worker * 1000
                }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 }, "every nested index once, on worker 0 (serially)")
    }

    /// OpenBLAS's count is process-wide: a region on another thread that wants another count
    /// waits until this one ends, instead of changing the count under this one's products.
    @Test func aBLASRegionKeepsItsCountWhileAnotherThreadWantsAnother() {
        let inside = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let seen = Mutex<[Int]>([])
        let neighbour = Thread {
            BLAS.withThreads(2) {
                inside.signal()
                usleep(30_000)
                seen.withLock { $0.append(BLAS.threadCount) }
            }
            done.signal()
        }
        neighbour.start()
        inside.wait()
        let mine = BLAS.withThreads(1) { BLAS.threadCount }
        done.wait()
        #expect(seen.withLock { $0 } == [2], "the neighbour's region kept its two threads")
        #expect(mine == 1)
    }
}
