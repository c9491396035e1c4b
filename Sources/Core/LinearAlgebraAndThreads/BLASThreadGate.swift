import CGSL
import Foundation

/// Guards OpenBLAS's thread count, one number for the whole process. Changing it while another
/// thread is inside a BLAS call is unsafe (OpenBLAS resizes its thread pool) and changes that
/// call's rounding (other counts use other kernels); tests, and the experiment runner's jobs,
/// run such calls side by side. So `BLAS.withThreads` regions pass through this gate:
///
/// - regions that want the count in force share it;
/// - a region that wants another count waits until no region is active, then sets it;
/// - when the last region ends, the count returns to the process default (`setDefault`);
/// - a region nested in another on the same thread, or started in a part of a worker-pool loop
///   (on a helper, or on the thread that started the loop), never waits: it runs at the count in
///   force. Its loop may have been started inside a region, or a region elsewhere may be waiting
///   for the pool, so waiting there could deadlock.
final class BLASThreadGate: @unchecked Sendable {
    static let shared = BLASThreadGate()

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let idle = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Per thread: bit 0 marks a pool helper, the other bits count the regions it is inside.
    private var threadState = pthread_key_t()
    // Changed under `mutex`.
    private var active = 0
    private var current: Int
    private var standing: Int

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(idle, nil)
        pthread_key_create(&threadState, nil)
        current = Int(openblas_get_num_threads())
        standing = current
    }

    /// The count outside regions (`Parallelism.setThreadCount`); applied now if no region is active.
    func setDefault(_ threads: Int) {
        pthread_mutex_lock(mutex)
        standing = threads
        if active == 0 { apply(threads) }
        pthread_mutex_unlock(mutex)
    }

    /// Marks the calling thread as a worker-pool helper.
    func markHelperThread() {
        store(load() | 1)
    }

    /// Runs `body` with OpenBLAS at `threads` threads (or at the count in force, when nested).
    func withThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        let state = load()
        let depth = state >> 1
        if depth == 0 { enter(threads, mayWait: state & 1 == 0 && !WorkerPool.shared.isRunByCallingThread) }
        store(state + 2)
        defer {
            store(state)
            if depth == 0 { leave() }
        }
        return try body()
    }

    private func enter(_ threads: Int, mayWait: Bool) {
        pthread_mutex_lock(mutex)
        if mayWait {
            while active > 0 && current != threads { pthread_cond_wait(idle, mutex) }
        }
        if active == 0 { apply(threads) }
        active += 1
        pthread_mutex_unlock(mutex)
    }

    private func leave() {
        pthread_mutex_lock(mutex)
        active -= 1
        if active == 0 {
            apply(standing)
            pthread_cond_broadcast(idle)
        }
        pthread_mutex_unlock(mutex)
    }

    /// Sets OpenBLAS's count (with `mutex` held).
    private func apply(_ threads: Int) {
        guard threads != current else { return }
        openblas_set_num_threads(Int32(threads))
        current = threads
    }

    private func load() -> Int { Int(bitPattern: pthread_getspecific(threadState)) }
    private func store(_ state: Int) { pthread_setspecific(threadState, UnsafeRawPointer(bitPattern: state)) }
}
