import Foundation

/// An optimizer made of other optimizers (a combiner). Its parts' states travel inside its
/// own state as `AnyWeightOptimizer.State`; naming the parts lets a checkpoint decode them.
public protocol CombiningOptimizer: WeightOptimizer {
    /// The optimizers this one runs (not their copies with tuned hyperparameters, which share
    /// their name and state type).
    var parts: [AnyWeightOptimizer] { get }
}

extension CombiningOptimizer {
    /// A combiner resumes exactly when all its parts do.
    public var resumesExactly: Bool { parts.allSatisfy(\.resumesExactly) }
}

/// Every optimizer of a run by name: the root and, through `CombiningOptimizer`, its parts
/// and theirs. A decoder carries it so that type-erased part states decode into their own
/// types at once (a name stands for one state type: the registry builds each name one way).
public struct OptimizerTree: Sendable {
    private var byName: [String: any WeightOptimizer] = [:]

    /// The tree below `root`.
    public init(_ root: any WeightOptimizer) {
        visit(root)
    }

    private mutating func visit(_ node: any WeightOptimizer) {
        let node = (node as? AnyWeightOptimizer)?.base ?? node
        if byName[node.name] == nil { byName[node.name] = node }
        for part in (node as? any CombiningOptimizer)?.parts ?? [] { visit(part.base) }
    }

    /// The optimizer called `name`, if the run uses one.
    public func optimizer(named name: String) -> (any WeightOptimizer)? { byName[name] }

    /// The names in the tree, sorted.
    public var names: [String] { byName.keys.sorted() }
}

extension CodingUserInfoKey {
    /// Where a decoder keeps the run's `OptimizerTree`.
    static let optimizerTree = CodingUserInfoKey(rawValue: "weightlab.optimizerTree")!
}

extension JSONCoding {
    /// A decoder that decodes the states of `optimizer` and of all its parts.
    public static func decoder(for optimizer: any WeightOptimizer) -> JSONDecoder {
        let decoder = decoder()
        decoder.userInfo[.optimizerTree] = OptimizerTree(optimizer)
        return decoder
    }
}
