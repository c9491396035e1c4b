/// The processes of one run and the messages between them: MPI's ranks, or a world of one.
///
/// WeightLab's ranks run the same program in lockstep: every rank holds the same problem,
/// optimizer state and stream, so what travels is only what a rank computed that the others
/// did not (fitness values, lane gradients, a finished trial). Every collective here returns
/// the same bits on every rank, and every exchange that sums does so in rank order, so the
/// result never depends on message timing. A rank that does not answer within `timeout`
/// ends the call with an error naming it.
public protocol Communicator: Sendable {
    /// This process's rank, from 0.
    var rank: Int { get }
    /// The number of ranks.
    var size: Int { get }
    /// How long a call waits for another rank before it throws.
    var timeout: Duration { get }

    /// Every rank's `bytes`, in rank order, on every rank.
    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]]
    /// Sends `parts[r]` to every rank r (`size` parts; this rank's own stays here) and returns
    /// what each rank sent this one, in rank order: a personalized all-to-all.
    func allToAll(_ parts: [[UInt8]]) throws -> [[UInt8]]
    /// Sends `bytes` to rank `destination` under `tag` (completes within `timeout`).
    func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws
    /// The next message under `tag` from `source` (any rank when nil), waiting at most
    /// `timeout`; `nil` timeout waits the communicator's own.
    func receive(from source: Int?, tag: Int, timeout: Duration?) throws -> (source: Int, bytes: [UInt8])
}

extension Communicator {
    /// Whether this is the rank that coordinates and writes results.
    public var isRoot: Bool { rank == 0 }

    /// Waits until every rank has arrived.
    public func barrier() throws { _ = try allGather([]) }

    /// `bytes` of rank `root` on every rank.
    public func broadcast(_ bytes: [UInt8], from root: Int = 0) throws -> [UInt8] {
        try allGather(rank == root ? bytes : [])[root]
    }

    /// Every rank's `values`, in rank order, on every rank.
    public func allGather<Element: BitwiseCopyable>(_ values: [Element]) throws -> [[Element]] {
        try allGather(values.withUnsafeBytes { Array($0) }).map { bytes in
            bytes.withUnsafeBytes { Array($0.bindMemory(to: Element.self)) }
        }
    }

    /// The element-wise sum of every rank's `values`, added in rank order (rank 0's first), so
    /// the bits depend on the values alone, never on message timing.
    public func allReduceSum(_ values: [Double]) throws -> [Double] {
        let parts: [[Double]] = try allGather(values)
        guard parts.allSatisfy({ $0.count == values.count }) else {
            throw WeightLabError(.shape, "allReduceSum: ranks contributed vectors of different lengths \(parts.map(\.count))")
        }
        var sum = parts[0]
        for part in parts.dropFirst() {
            for i in sum.indices { sum[i] += part[i] }
        }
        return sum
    }

    /// Rank `rank`'s share of `count` items split into `size` contiguous, nearly equal parts.
    public func share(of count: Int, for rank: Int? = nil) -> Range<Int> {
        let r = rank ?? self.rank
        return (count * r / size)..<(count * (r + 1) / size)
    }
}

/// A world of one rank: what `weightlab` is when not started by `mpirun`. Collectives return
/// this rank's own values; there is nobody to send to.
public struct LocalCommunicator: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public var timeout: Duration { .seconds(0) }

    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] { [bytes] }

    public func allToAll(_ parts: [[UInt8]]) throws -> [[UInt8]] {
        guard parts.count == 1 else { throw WeightLabError.shape("allToAll parts", expected: 1, actual: parts.count) }
        return parts
    }

    public func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws {
        throw WeightLabError(.unsupported, "send to rank \(destination): this process is a world of one rank")
    }

    public func receive(from source: Int?, tag: Int, timeout: Duration?) throws -> (source: Int, bytes: [UInt8]) {
        throw WeightLabError(.unsupported, "receive: this process is a world of one rank")
    }
}
