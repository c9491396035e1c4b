import Synchronization

/// The common currency for comparing optimizers: every evaluation an objective performs is
/// charged here. One sample through the forward pass costs 1 unit, its backward pass 2 more;
/// an analytic function costs 1 per value and 2 more per gradient. Population evaluation is
/// charged the same as evaluating each individual alone.
public final class CostLedger: Sendable {
    private let spent = Atomic<Int>(0)

    public init() {}

    /// Units spent so far.
    public var units: Int { spent.load(ordering: .relaxed) }

    /// Adds `units` to the ledger.
    public func charge(_ units: Int) {
        spent.add(units, ordering: .relaxed)
    }

    /// Sets the total, when a checkpointed run resumes.
    public func restore(_ units: Int) {
        spent.store(units, ordering: .relaxed)
    }

    /// The price of a forward pass over `samples` samples.
    public static func forwardCost(samples: Int) -> Int { samples }

    /// The price of a forward and backward pass over `samples` samples.
    public static func gradientCost(samples: Int) -> Int { 3 * samples }
}
