import Dispatch
import Foundation

/// How many cores WeightLab's own parallel loops (population evaluation) and OpenBLAS use.
/// Set once at start-up (the command line's `--threads`); defaults to the machine's core count.
public enum Parallelism {
    nonisolated(unsafe) private static var configured: Int = ProcessInfo.processInfo.activeProcessorCount

    /// The number of worker threads.
    public static var threadCount: Int { configured }

    /// Sets the worker count and OpenBLAS's thread count together.
    public static func setThreadCount(_ count: Int) {
        configured = max(1, count)
        BLAS.threadCount = configured
    }

    /// Runs `body(worker, index)` for every index in 0..<count, spread over up to `threadCount`
    /// workers; `worker` (0..<workers) selects per-worker scratch space. Indexes are split into
    /// contiguous chunks, so results written by index do not depend on the thread count.
    public static func forEach(_ count: Int, workers: Int = threadCount, _ body: (_ worker: Int, _ index: Int) -> Void) {
        let w = max(1, min(workers, count))
        if w == 1 {
            for i in 0..<count { body(0, i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // Each worker touches its own indexes and scratch space; callers guarantee that.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: w) { worker in
                let lower = count * worker / w
                let upper = count * (worker + 1) / w
                for i in lower..<upper { shared.value(worker, i) }
            }
        }
    }
}

extension Parallelism {
    /// Below this many elements per block, elementwise loops are not worth a worker's start-up.
    public static let elementsPerBlock = 1 << 15

    /// Runs `body(range)` over contiguous blocks that together cover 0..<count exactly once, in
    /// parallel over up to `threadCount` workers, with at least `minimumLength` elements per
    /// block; a count below twice that runs as one block on the calling thread. For elementwise
    /// loops (`for i in range { w[i] -= eta * g[i] }`): the result does not depend on the
    /// blocks, so it is the same whatever the thread count. Not for reductions, whose rounding
    /// would follow the split.
    ///
    /// Bind the buffers a loop touches to locals inside `body`
    /// (`let (w, g) = (w, g)`): LLVM cannot prove that stores through one captured buffer
    /// leave the others' captured addresses intact, reloads them every iteration and leaves the
    /// loop scalar (measured: Adam's update 4× slower); locals vectorize.
    public static func forEachRange(_ count: Int, minimumLength: Int = elementsPerBlock, _ body: (Range<Int>) -> Void) {
        let blocks = max(1, min(threadCount, count / max(1, minimumLength)))
        guard blocks > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        forEach(blocks, workers: blocks) { _, block in
            body((count * block / blocks)..<(count * (block + 1) / blocks))
        }
    }
}

/// Carries a value across a concurrency boundary whose safety the caller guarantees.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
