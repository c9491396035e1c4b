import Foundation
import WeightLabCore

/// N ranks inside one process, one per thread, for testing code written against
/// `Communicator` without MPI: `allGather` waits for every rank (a barrier per call).
final class ThreadWorld: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var round = 0
    private var deposits: [[[UInt8]]?]
    private var collected: [[[UInt8]]] = []
    private var arrivals = 0

    init(size: Int) {
        self.size = size
        self.deposits = Array(repeating: nil, count: size)
    }

    /// The communicator of rank `rank`.
    func rank(_ rank: Int) -> Rank { Rank(world: self, rank: rank) }

    /// Runs `body(rank)` on `size` threads at once and returns the results in rank order.
    func run<T: Sendable>(_ body: @escaping @Sendable (Rank) throws -> T) throws -> [T] {
        let results = ResultSlots<T>(count: size)
        let group = DispatchGroup()
        for r in 0..<size {
            group.enter()
            let thread = Thread {
                results.set(r, Result { try body(self.rank(r)) })
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return try results.values()
    }

    /// Every rank's `parts` (one list per rank), once all have arrived: a barrier.
    fileprivate func exchange(_ mine: [[UInt8]], rank: Int) -> [[[UInt8]]] {
        condition.lock()
        defer { condition.unlock() }
        let myRound = round
        deposits[rank] = mine
        arrivals += 1
        if arrivals == size {
            collected = deposits.map { $0 ?? [] }
            deposits = Array(repeating: nil, count: size)
            arrivals = 0
            round += 1
            condition.broadcast()
        } else {
            while round == myRound { condition.wait() }
        }
        return collected
    }

    struct Rank: Communicator {
        let world: ThreadWorld
        let rank: Int
        var size: Int { world.size }
        var timeout: Duration { .seconds(60) }

        func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] { world.exchange([bytes], rank: rank).map { $0[0] } }

        func allToAll(_ parts: [[UInt8]]) throws -> [[UInt8]] {
            guard parts.count == size else { throw WeightLabError.shape("allToAll parts", expected: size, actual: parts.count) }
            return world.exchange(parts, rank: rank).map { $0[rank] }
        }

        func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws {
            throw WeightLabError(.unsupported, "ThreadWorld has collectives only")
        }

        func receive(from source: Int?, tag: Int, timeout: Duration?) throws -> (source: Int, bytes: [UInt8]) {
            throw WeightLabError(.unsupported, "ThreadWorld has collectives only")
        }
    }
}

/// One result per thread, written once each.
private final class ResultSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<T, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<T, any Error>) { lock.withLock { slots[index] = result } }

    func values() throws -> [T] { try lock.withLock { slots }.map { try $0!.get() } }
}
