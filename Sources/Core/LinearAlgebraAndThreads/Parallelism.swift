import Foundation
import Synchronization

/// How many cores WeightLab's own parallel loops (gradient lanes, updates, population
/// evaluation) and OpenBLAS use. Set once at start-up (the command line's `--threads`);
/// defaults to the machine's core count.
///
/// The loops run on `WorkerPool`'s threads. The `with:` forms allocate nothing: their body
/// must capture nothing and receives what it needs as `arguments` (a tuple of buffers and
/// numbers, or a small struct). A body that captures still works but allocates its context at
/// every call, so the hot paths of a training step use the `with:` forms. The arguments
/// arrive in the body as parameters, which is also what lets LLVM vectorize an elementwise
/// loop over them: through captured buffers it reloads every base address after each store.
public enum Parallelism {
    /// Atomic, since the experiment runner's job threads set it beside others that read it.
    private static let configured = Atomic<Int>(ProcessInfo.processInfo.activeProcessorCount)

    /// A count bound to one task by `withThreadCount(_:_:)`; it wins over the process-wide one.
    @TaskLocal static var scopedCount: Int?

    /// The number of worker threads: the current task's own count if it has one, else the
    /// process-wide setting.
    public static var threadCount: Int { scopedCount ?? configured.load(ordering: .relaxed) }

    /// Sets the worker count and OpenBLAS's thread count together.
    public static func setThreadCount(_ count: Int) {
        configured.store(max(1, count), ordering: .relaxed)
        BLAS.threadCount = max(1, count)
    }

    /// Runs `body` with `count` workers for the current task alone, for comparisons across
    /// thread counts (tests run in parallel): nothing another task or thread sets changes this
    /// count, and this task's loops wait for the worker pool when another loop holds it instead
    /// of running serially, so a loop given two workers really runs on two. OpenBLAS's count
    /// stays process-wide; the call sites that depend on it set it for each product.
    public static func withThreadCount<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        try $scopedCount.withValue(max(1, count), operation: body)
    }

    /// Runs `body(arguments, worker, index)` for every index in 0..<count, spread over up to
    /// `threadCount` workers; `worker` (0..<workers) selects per-worker scratch space. Indexes
    /// are split into contiguous chunks, so results written by index do not depend on the
    /// thread count. A loop started inside another (or beside it, from another thread) runs
    /// serially on its caller's thread.
    @inlinable
    public static func forEach<Arguments>(
        _ count: Int, workers: Int = threadCount, with arguments: Arguments,
        _ body: @escaping (_ arguments: Arguments, _ worker: Int, _ index: Int) -> Void
    ) {
        let w = max(1, min(workers, count))
        if w > 1 {
            // Each worker touches its own indexes and scratch space; callers guarantee that.
            let loop = Chunks(arguments: arguments, body: body, count: count, workers: w)
            let ran = WorkerPool.shared.run(w, with: loop) { loop, worker in
                for i in (loop.count * worker / loop.workers)..<(loop.count * (worker + 1) / loop.workers) {
                    loop.body(loop.arguments, worker, i)
                }
            }
            if ran { return }
        }
        for i in 0..<count { body(arguments, 0, i) }
    }

    /// `forEach(_:workers:with:_:)` for a body that captures what it needs; it allocates a
    /// little at every call, so keep it out of per-step paths.
    public static func forEach(_ count: Int, workers: Int = threadCount, _ body: (_ worker: Int, _ index: Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            forEach(count, workers: workers, with: body) { body, worker, index in body(worker, index) }
        }
    }
}

extension Parallelism {
    /// Below this many elements per block, elementwise loops are not worth a worker's start-up.
    public static let elementsPerBlock = 1 << 15

    /// Runs `body(arguments, range)` over contiguous blocks that together cover 0..<count
    /// exactly once, in parallel over up to `threadCount` workers, with at least
    /// `minimumLength` elements per block; a count below twice that runs as one block on the
    /// calling thread. For elementwise loops:
    ///
    ///     Parallelism.forEachRange(w.count, with: (w, g, eta)) { arguments, range in
    ///         let (w, g, eta) = arguments
    ///         for i in range { w[i] -= eta * g[i] }
    ///     }
    ///
    /// The result does not depend on the blocks, so it is the same whatever the thread count.
    /// Not for reductions, whose rounding would follow the split.
    @inlinable
    public static func forEachRange<Arguments>(
        _ count: Int, minimumLength: Int = elementsPerBlock, with arguments: Arguments,
        _ body: @escaping (_ arguments: Arguments, _ range: Range<Int>) -> Void
    ) {
        let blocks = max(1, min(threadCount, count / max(1, minimumLength)))
        guard blocks > 1 else {
            if count > 0 { body(arguments, 0..<count) }
            return
        }
        let loop = Blocks(arguments: arguments, body: body, count: count, blocks: blocks)
        forEach(blocks, workers: blocks, with: loop) { loop, _, block in
            loop.body(loop.arguments, (loop.count * block / loop.blocks)..<(loop.count * (block + 1) / loop.blocks))
        }
    }
}

// The loops are inlinable, so they are specialized in the module that calls them, and their
// bodies travel in structs, not tuples: unspecialized, or inside a tuple handed to a generic
// function, a closure is re-wrapped in a thunk, which allocates; a struct field keeps it as it is.

/// `forEach`'s loop: `count` indexes in contiguous chunks over `workers`.
@usableFromInline
struct Chunks<Arguments> {
    @usableFromInline let arguments: Arguments
    @usableFromInline let body: (Arguments, Int, Int) -> Void
    @usableFromInline let count: Int
    @usableFromInline let workers: Int

    @inlinable
    init(arguments: Arguments, body: @escaping (Arguments, Int, Int) -> Void, count: Int, workers: Int) {
        self.arguments = arguments
        self.body = body
        self.count = count
        self.workers = workers
    }
}

/// `forEachRange`'s loop: `count` elements in `blocks` contiguous blocks.
@usableFromInline
struct Blocks<Arguments> {
    @usableFromInline let arguments: Arguments
    @usableFromInline let body: (Arguments, Range<Int>) -> Void
    @usableFromInline let count: Int
    @usableFromInline let blocks: Int

    @inlinable
    init(arguments: Arguments, body: @escaping (Arguments, Range<Int>) -> Void, count: Int, blocks: Int) {
        self.arguments = arguments
        self.body = body
        self.count = count
        self.blocks = blocks
    }
}
