import Synchronization

/// A communicator that counts what passes through another: calls, bytes sent and received by
/// this rank, and seconds spent inside (waiting for slower ranks included), for benchmarks and
/// the cost model of docs/scale-out.md.
public final class MeteredCommunicator: Communicator {
    /// What this rank's calls have cost so far.
    public struct Totals: Sendable, Equatable {
        public var calls = 0
        public var bytesOut = 0
        public var bytesIn = 0
        public var seconds = 0.0
    }

    public let inner: any Communicator
    private let totals = Mutex(Totals())

    public init(_ inner: any Communicator) {
        self.inner = inner
    }

    public var rank: Int { inner.rank }
    public var size: Int { inner.size }
    public var timeout: Duration { inner.timeout }

    /// The totals so far.
    public var measured: Totals { totals.withLock { $0 } }

    /// Starts counting afresh.
    public func reset() { totals.withLock { $0 = Totals() } }

    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        try metered(out: bytes.count) {
            let parts = try inner.allGather(bytes)
            return (parts, parts.enumerated().reduce(0) { $0 + ($1.offset == rank ? 0 : $1.element.count) })
        }
    }

    public func allToAll(_ parts: [[UInt8]]) throws -> [[UInt8]] {
        try metered(out: parts.enumerated().reduce(0) { $0 + ($1.offset == rank ? 0 : $1.element.count) }) {
            let received = try inner.allToAll(parts)
            return (received, received.enumerated().reduce(0) { $0 + ($1.offset == rank ? 0 : $1.element.count) })
        }
    }

    public func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws {
        try metered(out: bytes.count) { (try inner.send(bytes, to: destination, tag: tag), 0) }
    }

    public func receive(from source: Int?, tag: Int, timeout: Duration?) throws -> (source: Int, bytes: [UInt8]) {
        try metered(out: 0) {
            let message = try inner.receive(from: source, tag: tag, timeout: timeout)
            return (message, message.bytes.count)
        }
    }

    private func metered<T>(out: Int, _ body: () throws -> (T, bytesIn: Int)) throws -> T {
        let start = ContinuousClock.now
        let (result, bytesIn) = try body()
        let elapsed = ContinuousClock.now - start
        totals.withLock {
            $0.calls += 1
            $0.bytesOut += out
            $0.bytesIn += bytesIn
            $0.seconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }
        return result
    }
}
