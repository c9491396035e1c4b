import Foundation
import Synchronization

/// Helper threads that run the parts of one parallel loop at a time, for `Parallelism`.
///
/// Why not `DispatchQueue.concurrentPerform`: on Linux every call allocates (a block copy and
/// the apply's bookkeeping, about four mallocs), and a training step runs several parallel
/// loops (gradient lanes, their sum, the update), which would break the rule that a
/// steady-state step allocates nothing. Here the threads are created once. Between loops a
/// helper watches for the next one for up to `spinNanoseconds` (loads of an atomic counter, no
/// system call), then sleeps on a condition variable; the caller waits for the last part the
/// same way. A training step's loops follow each other within microseconds, while waking a
/// sleeping thread takes tens of microseconds, as long as half an Adam update: without the
/// watch, the caller would run both halves itself before the helper woke. The watch is short
/// (OpenBLAS's threads yield for far longer), so idle helpers take no time from other work.
/// A loop is a body that captures nothing plus the arguments it needs, kept on the caller's
/// stack and reached through a pointer and its type, so starting one allocates nothing (a
/// capturing closure would need a heap context every time).
///
/// One loop runs at a time: a loop started while another is in flight (from inside a part, or
/// from another thread) is refused and its caller runs it serially, which keeps nested
/// parallelism from oversubscribing the cores and cannot deadlock. Inside
/// `Parallelism.withThreadCount`, a loop from another thread is waited for instead, so a test
/// comparing thread counts is not silently served serially; a nested loop is still refused.
@usableFromInline
final class WorkerPool: @unchecked Sendable {
    @usableFromInline static let shared = WorkerPool()

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let busy = Atomic<Bool>(false)
    /// The thread whose loop is in flight (0 when none), to tell a nested loop from a neighbour's.
    private let owner = Atomic<UInt>(0)

    /// Whether the calling thread started the loop now in flight (and so runs one of its parts).
    var isRunByCallingThread: Bool { owner.load(ordering: .acquiring) == UInt(pthread_self()) }

    /// How long a helper watches for the next loop, and the caller for the last part, before
    /// sleeping.
    static let spinNanoseconds: UInt64 = 50_000

    // Changed under `mutex`; the atomics are also read without it while watching.
    private var helpers = 0
    private let generation = Atomic<Int>(0)
    private var job: (pointer: UnsafeRawPointer, type: any PoolJobType.Type)?
    private var parts = 0
    private var claimed = 0
    private let completed = Atomic<Int>(0)

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(finished, nil)
    }

    /// Runs `body(arguments, part)` for every part in 0..<parts, each exactly once, the calling
    /// thread taking parts alongside `parts − 1` helpers, and returns when all are done.
    /// Returns false, running nothing, when another loop is in flight (unless the caller is in
    /// `Parallelism.withThreadCount` and the loop in flight is not its own).
    ///
    /// Inlinable (like `Parallelism`'s loops), so that it is specialized in the module that
    /// calls it: unspecialized, the caller's closure would be wrapped in an allocated thunk.
    @inlinable
    func run<Arguments>(_ parts: Int, with arguments: Arguments, _ body: @escaping (Arguments, _ part: Int) -> Void) -> Bool {
        withUnsafePointer(to: PoolJob(arguments: arguments, body: body)) { pointer in
            run(parts, job: UnsafeRawPointer(pointer), type: PoolJob<Arguments>.self)
        }
    }

    /// Runs the parts of the `PoolJob` at `job`, of type `type`.
    @usableFromInline
    func run(_ parts: Int, job pointer: UnsafeRawPointer, type: any PoolJobType.Type) -> Bool {
        let me = UInt(pthread_self())
        while !busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            guard Parallelism.scopedCount != nil, owner.load(ordering: .acquiring) != me else { return false }
            sched_yield()
        }
        owner.store(me, ordering: .relaxed)
        defer {
            owner.store(0, ordering: .relaxed)
            busy.store(false, ordering: .releasing)
        }
        pthread_mutex_lock(mutex)
        while helpers < parts - 1 { startHelper() }
        job = (pointer, type)
        self.parts = parts
        claimed = 0
        completed.store(0, ordering: .relaxed)
        generation.wrappingAdd(1, ordering: .releasing)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        work()
        watch { completed.load(ordering: .acquiring) == parts }
        pthread_mutex_lock(mutex)
        while completed.load(ordering: .relaxed) < parts { pthread_cond_wait(finished, mutex) }
        job = nil
        pthread_mutex_unlock(mutex)
        return true
    }

    /// Claims and runs parts of the current loop until none is left.
    private func work() {
        pthread_mutex_lock(mutex)
        while let job, claimed < parts {
            let part = claimed
            claimed += 1
            pthread_mutex_unlock(mutex)
            job.type.run(job.pointer, part: part)
            pthread_mutex_lock(mutex)
            if completed.add(1, ordering: .releasing).newValue == parts { pthread_cond_signal(finished) }
        }
        pthread_mutex_unlock(mutex)
    }

    /// Starts one more helper thread (with `mutex` held).
    private func startHelper() {
        helpers += 1
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "weightlab-worker-\(helpers)"
        thread.start()
    }

    /// A helper's life: wait for a loop (watching, then asleep), take parts of it, wait again.
    private func serve() {
        BLASThreadGate.shared.markHelperThread()
        var seen = 0
        while true {
            watch { generation.load(ordering: .acquiring) != seen }
            pthread_mutex_lock(mutex)
            while generation.load(ordering: .relaxed) == seen { pthread_cond_wait(wake, mutex) }
            seen = generation.load(ordering: .relaxed)
            pthread_mutex_unlock(mutex)
            work()
        }
    }

    /// Returns once `done()` holds or `spinNanoseconds` have passed.
    private func watch(until done: () -> Bool) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let deadline = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec) + Self.spinNanoseconds
        while !done() {
            clock_gettime(CLOCK_MONOTONIC, &now)
            if UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec) >= deadline { return }
        }
    }
}

/// A loop the pool reaches through a pointer and its type (no existential box, no allocation).
@usableFromInline
protocol PoolJobType {
    static func run(_ job: UnsafeRawPointer, part: Int)
}

/// A loop body and its arguments.
@usableFromInline
struct PoolJob<Arguments>: PoolJobType {
    @usableFromInline let arguments: Arguments
    @usableFromInline let body: (Arguments, Int) -> Void

    @inlinable
    init(arguments: Arguments, body: @escaping (Arguments, Int) -> Void) {
        self.arguments = arguments
        self.body = body
    }

    @usableFromInline
    static func run(_ job: UnsafeRawPointer, part: Int) {
        let job = job.assumingMemoryBound(to: PoolJob.self)
        job.pointee.body(job.pointee.arguments, part)
    }
}
