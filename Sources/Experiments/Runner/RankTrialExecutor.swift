import Foundation
import Synchronization
import WeightLab

/// The messages between the coordinating rank 0 and the worker ranks of a distributed
/// experiment (`mpirun -np N weightlab run SPEC`).
enum TrialMessage {
    /// Rank 0 → worker: a trial's index (Int64), or −1 to stop.
    static let assignmentTag = 101
    /// Worker → rank 0: a report (first byte `Report`, then its payload).
    static let reportTag = 102

    enum Report: UInt8 {
        /// A Float64 share of the budget spent; also the worker's heartbeat.
        case progress
        /// The finished trial's record, as JSON.
        case record
        /// The trial threw: the error's description, UTF-8.
        case failure
    }

    static func integer(_ value: Int64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    static func integer(from bytes: [UInt8]) throws -> Int64 {
        guard bytes.count == 8 else { throw WeightLabError(.data, "a trial assignment of \(bytes.count) bytes (expected 8)") }
        return bytes.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }
    }
}

/// Rank 0's side of a distributed experiment: a `TrialExecutor` that runs each trial on a free
/// worker rank (1...N−1) and returns the record the worker sends back.
///
/// The runner calls `run` from `workers` threads (its `jobs`), so each thread keeps one worker
/// busy and takes the next pending trial as soon as its worker is done: trials are handed out
/// dynamically, in the runner's order. Everything else (skipping saved runs, saving each record
/// atomically, the tables and report) is the runner's, unchanged, so the results folder is the
/// one a single process writes. Workers report progress at least every `heartbeat`; a worker
/// silent for the communicator's timeout is lost: its trial fails naming the rank, every later
/// call fails at once, and `lostRank` tells the command to end the run.
public final class RankTrialExecutor: TrialExecutor {
    private let world: any Communicator
    private let local: any TrialExecutor
    private let free: Mutex<[Int]>
    private let lost = Mutex<String?>(nil)

    /// Rank 0's executor over `world`; `local` checks the variants' data on rank 0 (`prepare`).
    public init(world: any Communicator, local: any TrialExecutor) throws {
        guard world.rank == 0, world.size > 1 else {
            throw WeightLabError(.unsupported, "a distributed experiment needs rank 0 of at least two ranks")
        }
        self.world = world
        self.local = local
        self.free = Mutex(Array((1..<world.size).reversed()))
    }

    /// The ranks that run trials.
    public var workers: Int { world.size - 1 }

    /// Why the run must end (a rank that died or hangs), once one was lost.
    public var lostRank: String? { lost.withLock { $0 } }

    public func prepare(_ variants: [Variant]) throws { try local.prepare(variants) }

    public func run(_ trial: Trial, progress: @escaping @Sendable (Double) -> Void) throws -> TrialRecord {
        if let reason = lostRank { throw WeightLabError(.io, "not started: \(reason)") }
        guard let worker = free.withLock({ $0.popLast() }) else {
            throw WeightLabError(.unsupported, "more trials at once than worker ranks (\(workers))")
        }
        // The worker's answer: its record, or the error its run threw. Anything else (no answer
        // in time, a message that does not parse) leaves the worker out of step: it is lost.
        let answer: Result<TrialRecord, WeightLabError>
        do {
            try world.send(TrialMessage.integer(Int64(trial.index)), to: worker, tag: TrialMessage.assignmentTag)
            answer = try receiveAnswer(from: worker, progress: progress)
        } catch {
            let reason = "rank \(worker) lost while running \(trial.variant.name) seed \(trial.seed): \(error)"
            lost.withLock { $0 = $0 ?? reason }
            throw WeightLabError(.io, reason)
        }
        free.withLock { $0.append(worker) }
        return try answer.get()
    }

    /// Reads `worker`'s reports until its answer, passing progress on.
    private func receiveAnswer(from worker: Int, progress: @Sendable (Double) -> Void) throws -> Result<TrialRecord, WeightLabError> {
        while true {
            let bytes = try world.receive(from: worker, tag: TrialMessage.reportTag, timeout: nil).bytes
            let payload = Data(bytes.dropFirst())
            switch bytes.first.flatMap(TrialMessage.Report.init(rawValue:)) {
            case .progress:
                if payload.count == 8 { progress(payload.withUnsafeBytes { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }) }
            case .record:
                return .success(try TrialRecord.decode(payload, file: "the record rank \(worker) sent"))
            case .failure:
                return .failure(WeightLabError(.data, String(decoding: payload, as: UTF8.self)))
            case nil:
                throw WeightLabError(.data, "rank \(worker) sent a report of unknown kind \(bytes.first.map(String.init) ?? "(empty)")")
            }
        }
    }

    /// Tells every worker to stop (after the runner is done).
    public func stopWorkers() throws {
        for worker in 1..<world.size {
            try world.send(TrialMessage.integer(-1), to: worker, tag: TrialMessage.assignmentTag)
        }
    }
}

/// A worker rank's side of a distributed experiment: runs the trials rank 0 assigns with
/// `executor`, one at a time, and sends back each record, until told to stop.
public struct TrialWorker {
    /// Least time between two progress reports (the heartbeat rank 0 watches).
    public static let heartbeat = Duration.seconds(1)

    let world: any Communicator
    let executor: any TrialExecutor
    let trials: [Trial]

    /// A worker running `spec`'s trials (indexed as `ExperimentSpec.trials`).
    public init(world: any Communicator, executor: any TrialExecutor, spec: ExperimentSpec) {
        self.world = world
        self.executor = executor
        self.trials = spec.trials
    }

    /// Serves assignments until rank 0 says stop. Waits for rank 0 as long as it takes (the
    /// other workers' trials may run for hours; a rank 0 that dies ends the job through the launcher).
    public func serve() throws {
        var prepared = Set<String>()
        while true {
            let assignment = try TrialMessage.integer(
                from: world.receive(from: 0, tag: TrialMessage.assignmentTag, timeout: .seconds(365 * 86_400)).bytes)
            guard assignment >= 0 else { return }
            guard let trial = trials.indices.contains(Int(assignment)) ? trials[Int(assignment)] : nil else {
                throw WeightLabError(.data, "rank 0 assigned trial \(assignment), but the experiment has \(trials.count)")
            }
            let report: [UInt8]
            do {
                if !prepared.contains(trial.variant.name) {
                    try executor.prepare([trial.variant])
                    prepared.insert(trial.variant.name)
                }
                let record = try executor.run(trial, progress: progressReporter())
                report = [TrialMessage.Report.record.rawValue] + Array(try record.encoded())
            } catch {
                report = [TrialMessage.Report.failure.rawValue] + Array("\(error)".utf8)
            }
            try world.send(report, to: 0, tag: TrialMessage.reportTag)
        }
    }

    /// Sends the share done to rank 0, at most once per `heartbeat`.
    private func progressReporter() -> @Sendable (Double) -> Void {
        let world = self.world
        let last = Mutex<ContinuousClock.Instant?>(nil)
        return { fraction in
            let now = ContinuousClock.now
            let due = last.withLock { previous in
                guard previous.map({ now - $0 >= Self.heartbeat }) ?? true else { return false }
                previous = now
                return true
            }
            guard due else { return }
            let bytes = [TrialMessage.Report.progress.rawValue] + withUnsafeBytes(of: fraction.bitPattern.littleEndian) { Array($0) }
            try? world.send(bytes, to: 0, tag: TrialMessage.reportTag)
        }
    }
}
