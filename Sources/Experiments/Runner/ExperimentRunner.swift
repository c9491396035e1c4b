import Foundation
import Synchronization
import WeightLab

/// Runs every (variant, seed) pair of an experiment (or of one shard of it), saves each
/// finished run at once, and writes the tables, plots and report.
///
/// **Resuming.** Each finished run is saved to `runs/` atomically the moment it ends; a later
/// call skips the pairs already saved with the current settings (same fingerprint), so an
/// interrupted experiment loses at most the runs in flight. `fresh` deletes earlier runs first.
///
/// **Parallelism.** Up to `jobs` runs go at once, each on its own thread in this process.
/// OpenBLAS's thread count is process-wide, so it is set once for the whole experiment to
/// max(1, cores / jobs), together with the worker count of population evaluation
/// (`Parallelism.setThreadCount`): jobs × threads never exceeds the cores. A variant that sets
/// `threads` (the BLAS-threads experiment) needs `jobs` = 1, and gets its count for its runs.
///
/// **Failures.** A diverging run is a result (outcome `diverged`) like any other. A run that
/// throws is reported, not saved (the next call retries it), and the others go on.
///
/// **Interruption.** When `interruption` is requested (SIGINT or SIGTERM), no further run
/// starts, the runs in flight stop at their next step boundary (the executor's trainer reads
/// the same request) and are not saved, and `run` throws a `WeightLabError` of kind
/// `.interrupted` without writing the reports: the next call runs what is left, the stopped
/// runs from their start, and ends with the reports of an uninterrupted call.
public struct ExperimentRunner: Sendable {
    public struct Options: Sendable {
        /// Runs at once.
        public var jobs: Int
        /// Delete earlier results first.
        public var fresh: Bool
        /// Run only this shard's pairs.
        public var shard: Shard?
        /// The machine's cores (for the BLAS thread count).
        public var cores: Int
        /// A request to stop (see **Interruption**); the executor's runs should read the same one.
        public var interruption: Interruption?

        public init(
            jobs: Int = 1, fresh: Bool = false, shard: Shard? = nil, cores: Int = ProcessInfo.processInfo.activeProcessorCount,
            interruption: Interruption? = nil
        ) {
            self.jobs = jobs
            self.fresh = fresh
            self.shard = shard
            self.cores = cores
            self.interruption = interruption
        }
    }

    /// What a call did.
    public struct Outcome: Sendable {
        /// Runs made in this call.
        public var ran: Int
        /// Pairs skipped because they were already saved.
        public var skipped: Int
        /// Saved runs ignored because the spec changed since they were made.
        public var stale: Int
        /// Runs that threw, with the error.
        public var failures: [(trial: String, error: String)]
        /// The reports written.
        public var reports: ResultStore.Reports
    }

    public let spec: ExperimentSpec
    public let store: ResultStore
    public let executor: any TrialExecutor
    public let options: Options

    public init(spec: ExperimentSpec, store: ResultStore, executor: any TrialExecutor, options: Options = Options()) throws {
        try validateCount("--jobs", options.jobs, atLeast: 1)
        if options.jobs > 1, let variant = spec.variants.first(where: { $0.threads != nil }) {
            throw WeightLabError(.parameter, "variant '\(variant.name)' sets threads (BLAS threads per run), which is process-wide: run this experiment with --jobs 1")
        }
        self.spec = spec
        self.store = store
        self.executor = executor
        self.options = options
    }

    /// Runs the pairs not yet saved, then writes the reports. `display` shows progress (none by default).
    /// Refuses when another run holds the results folder (`ResultsLock`).
    public func run(display makeDisplay: (Int) -> ExperimentProgress? = { _ in nil }) throws -> Outcome {
        let lock = try ResultsLock(directory: store.directory)
        defer { withExtendedLifetime(lock) {} }
        let manifest = ExperimentManifest(spec)
        try store.prepare(manifest, fresh: options.fresh)
        let saved = try store.currentRecords(of: manifest)
        let done = Set(saved.records.map { "\($0.variant)\u{0}\($0.seed)" })
        let mine = spec.trials.filter { options.shard?.contains($0.index) ?? true }
        let pending = mine.filter { !done.contains("\($0.variant.name)\u{0}\($0.seed)") }
        try executor.prepare(spec.variants.filter { variant in pending.contains { $0.variant.name == variant.name } })

        let display = makeDisplay(pending.count)
        let shared = SharedRunState(pending: pending[...], interruption: options.interruption)
        let executor = self.executor, store = self.store
        let work: @Sendable () -> Void = {
            while let trial = shared.nextTrial() {
                display?.started(trial)
                let clock = ContinuousClock.now
                do {
                    let record = try Self.withThreads(trial.variant.threads) {
                        try executor.run(trial) { fraction in display?.progressed(trial, fraction) }
                    }
                    do {
                        try store.save(record)
                    } catch {
                        shared.record(storeError: error)
                    }
                    display?.finished(trial, record, seconds: (ContinuousClock.now - clock).seconds)
                } catch let error as WeightLabError where error.kind == .interrupted {
                    shared.recordStopped()
                } catch {
                    shared.record(failure: (trial.index, "\(trial.variant.name) seed \(trial.seed)", "\(error)"))
                    display?.failed(trial, error)
                }
            }
        }
        let jobs = min(options.jobs, max(1, pending.count))
        let previousThreads = Parallelism.threadCount
        Parallelism.setThreadCount(max(1, options.cores / options.jobs))
        defer { Parallelism.setThreadCount(previousThreads) }
        Self.runConcurrently(jobs, work)
        display?.close()
        if let error = shared.storeError { throw error }
        if let signal = options.interruption?.signal, shared.unfinished > 0 {
            let saved = mine.count - shared.unfinished - shared.failures.count
            let stopped = shared.stopped > 0 ? " (\(shared.stopped) stopped part way and will start over)" : ""
            throw WeightLabError(
                .interrupted,
                "\(Interruption.name(of: signal)): \(saved) of \(mine.count) runs are saved in \(store.directory.path)\(stopped); rerun the same command to continue")
        }

        let current = try store.currentRecords(of: manifest)
        let reports = try store.writeReports(manifest, records: current.records)
        return Outcome(
            ran: pending.count - shared.failures.count, skipped: mine.count - pending.count, stale: current.stale,
            failures: shared.failures.sorted { $0.index < $1.index }.map { ($0.trial, $0.error) }, reports: reports)
    }

    /// Runs `work` on `count` threads (the calling one among them) and waits for all.
    private static func runConcurrently(_ count: Int, _ work: @escaping @Sendable () -> Void) {
        guard count > 1 else {
            work()
            return
        }
        let group = DispatchGroup()
        for _ in 1..<count {
            group.enter()
            let thread = Thread {
                work()
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        work()
        group.wait()
    }

    /// Runs `body` with BLAS and population threads set to `threads` when given.
    private static func withThreads<T>(_ threads: Int?, _ body: () throws -> T) rethrows -> T {
        guard let threads else { return try body() }
        let previous = Parallelism.threadCount
        Parallelism.setThreadCount(threads)
        defer { Parallelism.setThreadCount(previous) }
        return try body()
    }
}

/// What the job threads of one `ExperimentRunner.run` share: the queue of pending trials, the
/// failures, the runs an interruption stopped and the first store error, behind one `NSLock`.
/// Not `Synchronization.Mutex`: on Linux it locks with raw futex calls, which ThreadSanitizer
/// does not see, so it reported the guarded accesses from two job threads as a race.
private final class SharedRunState: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: ArraySlice<Trial>
    private var failureList: [(index: Int, trial: String, error: String)] = []
    private var firstStoreError: (any Error)?
    private var stoppedCount = 0
    private let interruption: Interruption?

    init(pending: ArraySlice<Trial>, interruption: Interruption?) {
        queue = pending
        self.interruption = interruption
    }

    /// The next pending trial, or nil when none is left, saving a record has failed or a stop
    /// was requested.
    func nextTrial() -> Trial? {
        lock.withLock { firstStoreError == nil && interruption?.signal == nil ? queue.popFirst() : nil }
    }

    /// Counts a run stopped part way by the interruption.
    func recordStopped() {
        lock.withLock { stoppedCount += 1 }
    }

    var stopped: Int { lock.withLock { stoppedCount } }
    /// Trials stopped or never started.
    var unfinished: Int { lock.withLock { stoppedCount + queue.count } }

    func record(failure: (index: Int, trial: String, error: String)) {
        lock.withLock { failureList.append(failure) }
    }

    func record(storeError: any Error) {
        lock.withLock { if firstStoreError == nil { firstStoreError = storeError } }
    }

    var failures: [(index: Int, trial: String, error: String)] { lock.withLock { failureList } }
    var storeError: (any Error)? { lock.withLock { firstStoreError } }
}
