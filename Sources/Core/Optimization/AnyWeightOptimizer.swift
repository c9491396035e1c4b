import Foundation

/// Any optimizer behind one concrete type, with a state that is itself `Codable`: the one
/// place WeightLab erases an optimizer's type.
///
/// Combiners (hybrids, portfolios) hold their parts as `AnyWeightOptimizer` and keep the
/// parts' states as `AnyWeightOptimizer.State` inside their own state, so a hybrid checkpoints
/// like any other optimizer. A state encodes as `{"optimizer": NAME, "state": <its own state>}`
/// and decodes eagerly into the part's own state type: the decoder carries the run's
/// `OptimizerTree` (see `JSONCoding.decoder(for:)`), which names every optimizer of the run.
/// The live state is held in a copy-on-write box, so stepping through the wrapper neither copies
/// the state's arrays nor allocates in the steady state.
public struct AnyWeightOptimizer: WeightOptimizer {
    /// The wrapped optimizer.
    public let base: any WeightOptimizer

    /// Wraps `base` (an `AnyWeightOptimizer` is not wrapped twice).
    public init(_ base: any WeightOptimizer) {
        self.base = (base as? AnyWeightOptimizer)?.base ?? base
    }

    public var name: String { base.name }
    public var resumesExactly: Bool { base.resumesExactly }

    /// The wrapped optimizer's state, type-erased and `Codable`.
    public struct State: Codable, Sendable {
        /// The name of the optimizer this state belongs to.
        public let optimizer: String
        /// The live state; nil only while a step holds it.
        var box: (any StateBox)?

        init(optimizer: String, box: any StateBox) {
            self.optimizer = optimizer
            self.box = box
        }

        private enum CodingKeys: String, CodingKey { case optimizer, state }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            optimizer = try c.decode(String.self, forKey: .optimizer)
            guard let tree = decoder.userInfo[.optimizerTree] as? OptimizerTree else {
                throw DecodingError.dataCorruptedError(
                    forKey: .optimizer, in: c,
                    debugDescription: "the state of optimizer '\(optimizer)' decodes only with the run's optimizers (JSONCoding.decoder(for:))")
            }
            guard let part = tree.optimizer(named: optimizer) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .optimizer, in: c,
                    debugDescription: "the saved state belongs to optimizer '\(optimizer)', which this run does not use (it uses \(tree.names.joined(separator: ", ")))")
            }
            box = try Self.decodeBox(part, c.superDecoder(forKey: .state))
        }

        private static func decodeBox<O: WeightOptimizer>(_ optimizer: O, _ decoder: any Decoder) throws -> any StateBox {
            Box(try O.State(from: decoder))
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(optimizer, forKey: .optimizer)
            try box?.encode(to: c.superEncoder(forKey: .state))
        }
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        try Self.start(base, problem, initial, &run)
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        try Self.step(base, &state, problem, &run)
    }

    /// The incumbent of the wrapped optimizer; empty for a state of another optimizer.
    public func incumbent(_ state: State) -> [Float] {
        Self.incumbent(base, state)
    }

    public func mismatch(_ state: State, _ problem: Problem) -> String? {
        Self.mismatch(base, state, problem)
    }

    // MARK: - The wrapped optimizer, opened

    private static func mismatch<O: WeightOptimizer>(_ optimizer: O, _ state: State, _ problem: Problem) -> String? {
        guard let box = state.box as? Box<O.State> else { return "it belongs to optimizer '\(state.optimizer)', not to '\(optimizer.name)'" }
        return optimizer.mismatch(box.value, problem)
    }

    private static func start<O: WeightOptimizer>(_ optimizer: O, _ problem: Problem, _ initial: [Float], _ run: inout RunState) throws -> State {
        State(optimizer: optimizer.name, box: Box(try optimizer.start(problem, from: initial, run: &run)))
    }

    private static func step<O: WeightOptimizer>(_ optimizer: O, _ state: inout State, _ problem: Problem, _ run: inout RunState) throws -> StepReport {
        let box = try uniqueBox(optimizer, &state)
        defer { state.box = box }
        return try optimizer.step(&box.value, problem, run: &run)
    }

    private static func incumbent<O: WeightOptimizer>(_ optimizer: O, _ state: State) -> [Float] {
        (state.box as? Box<O.State>).map { optimizer.incumbent($0.value) } ?? []
    }

    /// The state's box, typed and referenced only by the caller (copied if it was shared), so
    /// the step mutates it in place; the state holds no box until the caller puts it back.
    private static func uniqueBox<O: WeightOptimizer>(_ optimizer: O, _ state: inout State) throws -> Box<O.State> {
        guard var box = state.box as? Box<O.State> else {
            throw WeightLabError(.data, "the state held for optimizer '\(optimizer.name)' belongs to '\(state.optimizer)', not to it")
        }
        state.box = nil
        if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
        return box
    }
}

/// A live, type-erased optimizer state.
protocol StateBox: AnyObject, Sendable {
    func encode(to encoder: any Encoder) throws
}

/// Holds one optimizer state. Shared between copies of an `AnyWeightOptimizer.State` and
/// copied before a step mutates it unless uniquely referenced (copy-on-write), which is what
/// makes the unchecked sendability sound.
final class Box<Value: Codable & Sendable>: StateBox, @unchecked Sendable {
    var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
