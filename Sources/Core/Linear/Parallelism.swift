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

/// Carries a value across a concurrency boundary whose safety the caller guarantees.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
