import CMPI
import Foundation
import WeightLabCore

/// The ranks `mpirun` (or `srun`) started, over OpenMPI.
///
/// Every call is non-blocking underneath (`MPI_Isend`, `MPI_Improbe`, `MPI_Imrecv`, `MPI_Test`), polled
/// against a deadline, so a rank that died or hangs ends the call with an error naming it
/// rather than a hang. MPI is initialized with `MPI_THREAD_SERIALIZED` and every MPI call
/// holds one lock, so threads of one rank (the trial coordinator's) may share it.
///
/// `allGather` runs through rank 0: each rank sends its bytes to rank 0, which forwards all of
/// them, in rank order, to every rank — 2(N − 1) messages, and rank 0 names the rank it waited
/// for in vain. Collectives between the same pair of ranks never overtake each other (MPI's
/// ordering rule for one tag), so successive calls need no sequence numbers.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    public let timeout: Duration
    private let lock = NSLock()
    /// The tag of `allGather`'s messages; point-to-point users take tags below it.
    static let collectiveTag: Int32 = 30_000
    /// The tag of `allToAll`'s messages.
    static let allToAllTag: Int32 = 30_001

    /// Whether an MPI launcher started this process (OpenMPI's `mpirun`, or PMIx/PMI as `srun`
    /// sets them). Without one, `weightlab` is a world of one and never initializes MPI.
    public static var isLaunched: Bool {
        let environment = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"].contains { environment[$0] != nil }
    }

    /// The cores this rank may use: Slurm's `SLURM_CPUS_PER_TASK` when set, else the node's
    /// cores divided among the ranks `mpirun` put on it (`OMPI_COMM_WORLD_LOCAL_SIZE`).
    public static var coresPerRank: Int {
        let environment = ProcessInfo.processInfo.environment
        if let cores = environment["SLURM_CPUS_PER_TASK"].flatMap(Int.init), cores >= 1 { return cores }
        let ranks = environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init) ?? 1
        return max(1, ProcessInfo.processInfo.activeProcessorCount / max(1, ranks))
    }

    /// Initializes MPI; `timeout` bounds every wait for another rank.
    public init(timeout: Duration) throws {
        var provided: Int32 = 0
        guard MPI_Init_thread(nil, nil, cmpi_thread_serialized(), &provided) == cmpi_success() else {
            throw WeightLabError(.io, "MPI_Init_thread failed")
        }
        guard provided >= cmpi_thread_serialized() else {
            throw WeightLabError(.unsupported, "this MPI library does not allow calls from several threads (MPI_THREAD_SERIALIZED)")
        }
        var rank: Int32 = 0
        var size: Int32 = 0
        MPI_Comm_rank(cmpi_comm_world(), &rank)
        MPI_Comm_size(cmpi_comm_world(), &size)
        self.rank = Int(rank)
        self.size = Int(size)
        self.timeout = timeout
    }

    /// Ends MPI cleanly; every rank calls it once, at the end.
    public func finalize() {
        lock.withLock { _ = MPI_Finalize() }
    }

    /// Ends every rank at once with `code` (after an error that leaves others waiting).
    public func abort(code: Int32) -> Never {
        MPI_Abort(cmpi_comm_world(), code)
        exit(code)
    }

    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        guard size > 1 else { return [bytes] }
        if rank != 0 {
            try send(bytes, to: 0, tag: Int(Self.collectiveTag))
            return try Self.unpack(receive(from: 0, tag: Int(Self.collectiveTag), timeout: nil).bytes)
        }
        var parts = [bytes]
        for source in 1..<size {
            parts.append(try receive(from: source, tag: Int(Self.collectiveTag), timeout: nil).bytes)
        }
        let packed = Self.pack(parts)
        for destination in 1..<size { try send(packed, to: destination, tag: Int(Self.collectiveTag)) }
        return parts
    }

    /// Posts every send at once (`MPI_Isend` from copies kept until they complete), then takes
    /// the parts of the other ranks in rank order: no pair of ranks can wait on each other.
    public func allToAll(_ parts: [[UInt8]]) throws -> [[UInt8]] {
        guard parts.count == size else { throw WeightLabError.shape("allToAll parts", expected: size, actual: parts.count) }
        guard size > 1 else { return parts }
        let destinations = (0..<size).filter { $0 != rank }
        let buffers = destinations.map { destination in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, parts[destination].count), alignment: 8)
            parts[destination].withUnsafeBytes { buffer.copyMemory(from: $0) }
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        var requests = [MPI_Request?](repeating: nil, count: destinations.count)
        for (k, destination) in destinations.enumerated() {
            let started = lock.withLock {
                MPI_Isend(buffers[k].baseAddress, Int32(parts[destination].count), cmpi_byte(), Int32(destination), Self.allToAllTag, cmpi_comm_world(), &requests[k])
            }
            guard started == cmpi_success() else { throw WeightLabError(.io, "MPI_Isend to rank \(destination) failed") }
        }
        var pending = Array(destinations.indices)
        // On a failure the sends still in flight are cancelled before their copies are freed.
        defer {
            lock.withLock {
                for k in pending where requests[k] != nil {
                    _ = MPI_Cancel(&requests[k])
                    _ = MPI_Request_free(&requests[k])
                }
            }
        }
        var received = parts
        for source in destinations {
            received[source] = try receive(from: source, tag: Int(Self.allToAllTag), timeout: nil, spinning: true).bytes
        }
        let done = poll(until: .now + timeout, spinning: true) {
            pending.removeAll { k in
                var flag: Int32 = 0
                return lock.withLock { MPI_Test(&requests[k], &flag, cmpi_status_ignore()) == cmpi_success() && flag != 0 }
            }
            return pending.isEmpty
        }
        guard done else {
            throw WeightLabError(.io, "rank \(destinations[pending[0]]) did not take a message from rank \(rank) within \(Self.seconds(timeout)) s: it may have died or hung")
        }
        return received
    }

    public func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws {
        var request: MPI_Request?
        let payload = bytes.isEmpty ? [0] : bytes
        try payload.withUnsafeBytes { buffer in
            let started = lock.withLock {
                MPI_Isend(buffer.baseAddress, Int32(bytes.count), cmpi_byte(), Int32(destination), Int32(tag), cmpi_comm_world(), &request)
            }
            guard started == cmpi_success() else { throw WeightLabError(.io, "MPI_Isend to rank \(destination) failed") }
            let done = poll(until: .now + timeout) {
                var flag: Int32 = 0
                return lock.withLock { MPI_Test(&request, &flag, cmpi_status_ignore()) == cmpi_success() && flag != 0 }
            }
            guard done else {
                lock.withLock {
                    _ = MPI_Cancel(&request)
                    _ = MPI_Request_free(&request)
                }
                throw WeightLabError(.io, "rank \(destination) did not take a message from rank \(rank) within \(Self.seconds(timeout)) s: it may have died or hung")
            }
        }
    }

    public func receive(from source: Int?, tag: Int, timeout: Duration?) throws -> (source: Int, bytes: [UInt8]) {
        try receive(from: source, tag: tag, timeout: timeout, spinning: false)
    }

    /// `receive`, polling without sleeping when `spinning` (while this rank's own large sends
    /// are in flight: MPI moves their fragments only inside MPI calls of this rank).
    ///
    /// The message is matched (`MPI_Improbe`) and then taken with `MPI_Imrecv`, polled: a
    /// blocking `MPI_Recv` would wait for ever, holding the lock, on a sender that stops halfway
    /// through a message too long for one fragment (where the kernel forbids single-copy
    /// transfers between processes, as containers' seccomp profiles do).
    private func receive(from source: Int?, tag: Int, timeout: Duration?, spinning: Bool) throws -> (source: Int, bytes: [UInt8]) {
        let wait = timeout ?? self.timeout
        var status = MPI_Status()
        var message: MPI_Message?
        let arrived = poll(until: .now + wait, spinning: spinning) {
            var flag: Int32 = 0
            return lock.withLock {
                MPI_Improbe(Int32(source ?? Int(cmpi_any_source())), Int32(tag), cmpi_comm_world(), &flag, &message, &status) == cmpi_success() && flag != 0
            }
        }
        guard arrived else {
            let who = source.map { "rank \($0)" } ?? "any rank"
            throw WeightLabError(.io, "no message from \(who) reached rank \(rank) within \(Self.seconds(wait)) s: \(who) may have died or hung")
        }
        let sender = Int(status.MPI_SOURCE)
        var count: Int32 = 0
        lock.withLock { _ = MPI_Get_count(&status, cmpi_byte(), &count) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, Int(count)), alignment: 8)
        var request: MPI_Request?
        let started = lock.withLock { MPI_Imrecv(buffer.baseAddress, count, cmpi_byte(), &message, &request) }
        guard started == cmpi_success() else {
            buffer.deallocate()
            throw WeightLabError(.io, "MPI_Imrecv from rank \(sender) failed")
        }
        let done = poll(until: .now + self.timeout, spinning: spinning) {
            var flag: Int32 = 0
            return lock.withLock { MPI_Test(&request, &flag, cmpi_status_ignore()) == cmpi_success() && flag != 0 }
        }
        // Unfinished, the receive stays posted and MPI may still write into the buffer, so the
        // buffer is left allocated: the error ends the run.
        guard done else {
            throw WeightLabError(.io, "rank \(sender) stopped sending a message of \(count) bytes to rank \(rank): it was not complete within \(Self.seconds(self.timeout)) s: rank \(sender) may have died or hung")
        }
        defer { buffer.deallocate() }
        return (sender, Array(buffer.prefix(Int(count))))
    }

    /// Calls `check` until it returns true or `deadline` passes: yielding at first (a reply
    /// within microseconds is the common case), then sleeping in short steps so a waiting rank
    /// leaves the cores to ranks that compute (ranks may outnumber cores).
    private func poll(until deadline: ContinuousClock.Instant, spinning: Bool = false, _ check: () -> Bool) -> Bool {
        var attempts = 0
        while !check() {
            if ContinuousClock.now >= deadline { return false }
            attempts += 1
            if spinning || attempts < 200 { sched_yield() } else { usleep(attempts < 2_000 ? 20 : 200) }
        }
        return true
    }

    /// Parts behind a header of their lengths (one little-endian Int64 each).
    static func pack(_ parts: [[UInt8]]) -> [UInt8] {
        var packed: [UInt8] = []
        packed.reserveCapacity(8 * (parts.count + 1) + parts.reduce(0) { $0 + $1.count })
        for value in [parts.count] + parts.map(\.count) {
            withUnsafeBytes(of: Int64(value).littleEndian) { packed.append(contentsOf: $0) }
        }
        for part in parts { packed.append(contentsOf: part) }
        return packed
    }

    static func unpack(_ packed: [UInt8]) throws -> [[UInt8]] {
        func integer(at offset: Int) throws -> Int {
            guard offset + 8 <= packed.count else { throw WeightLabError(.data, "a gathered message is truncated") }
            var value: Int64 = 0
            for k in 0..<8 { value |= Int64(packed[offset + k]) << (8 * k) }
            return Int(value)
        }
        let count = try integer(at: 0)
        let lengths = try (0..<count).map { try integer(at: 8 * ($0 + 1)) }
        var offset = 8 * (count + 1)
        return try lengths.map { length in
            guard length >= 0, offset + length <= packed.count else { throw WeightLabError(.data, "a gathered message is truncated") }
            defer { offset += length }
            return Array(packed[offset..<(offset + length)])
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        String(format: "%.0f", Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
    }
}
