/// Any optimizer behind one concrete type, with a state that is itself `Codable`.
///
/// Combiners (hybrids, portfolios) hold their parts as `AnyWeightOptimizer` and keep the
/// parts' states as `AnyWeightOptimizer.State` inside their own state, so a hybrid checkpoints
/// like any other optimizer. The run loop uses it for optimizers built from a specification
/// (`OptimizerRegistry.make` returns `any WeightOptimizer`).
///
/// A state encodes as `{"optimizer": NAME, "state": <the part's own state>}`. Decoding cannot
/// know the part's concrete state type, so it keeps the decoded JSON and turns it into that type
/// on first use (`step`, or `resolve`); a state written by another optimizer is reported then.
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

    /// The wrapped optimizer's state, type-erased and `Codable`.
    public struct State: Codable, Sendable {
        enum Storage: Sendable {
            case live(any StateBox)
            case decoded(JSONValue)
            case empty
        }

        /// The name of the optimizer this state belongs to.
        public let optimizer: String
        var storage: Storage

        init(optimizer: String, storage: Storage) {
            self.optimizer = optimizer
            self.storage = storage
        }

        private enum CodingKeys: String, CodingKey { case optimizer, state }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            optimizer = try c.decode(String.self, forKey: .optimizer)
            storage = .decoded(try c.decode(JSONValue.self, forKey: .state))
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(optimizer, forKey: .optimizer)
            switch storage {
            case .live(let box): try box.encode(to: c.superEncoder(forKey: .state))
            case .decoded(let value): try c.encode(value, forKey: .state)
            case .empty: try c.encodeNil(forKey: .state)
            }
        }

        /// Whether the state is still the decoded JSON of a checkpoint, not yet turned into
        /// the optimizer's own state type.
        public var isPendingDecoding: Bool {
            if case .decoded = storage { true } else { false }
        }
    }

    public func start(_ problem: Problem, from initial: [Float], rng: inout RandomStream) throws -> State {
        try Self.start(base, problem, initial, &rng)
    }

    public func step(_ state: inout State, _ problem: Problem, rng: inout RandomStream) throws -> StepReport {
        try Self.step(base, &state, problem, &rng)
    }

    /// The incumbent of the wrapped optimizer. A state still pending decoding is decoded for
    /// the call (call `resolve` first to decode it once and see errors); one that does not
    /// decode gives an empty vector.
    public func incumbent(_ state: State) -> [Float] {
        Self.incumbent(base, state)
    }

    /// Turns a decoded state into the wrapped optimizer's state type now, throwing a
    /// `WeightLabError` naming both optimizers when the state belongs to another one.
    public func resolve(_ state: inout State) throws {
        try Self.resolve(base, &state)
    }

    // MARK: - The wrapped optimizer, opened

    private static func start<O: WeightOptimizer>(_ optimizer: O, _ problem: Problem, _ initial: [Float], _ rng: inout RandomStream) throws -> State {
        let state = try optimizer.start(problem, from: initial, rng: &rng)
        return State(optimizer: optimizer.name, storage: .live(Box(state)))
    }

    private static func step<O: WeightOptimizer>(_ optimizer: O, _ state: inout State, _ problem: Problem, _ rng: inout RandomStream) throws -> StepReport {
        let box = try uniqueBox(optimizer, &state)
        defer { state.storage = .live(box) }
        return try optimizer.step(&box.value, problem, rng: &rng)
    }

    private static func resolve<O: WeightOptimizer>(_ optimizer: O, _ state: inout State) throws {
        _ = try box(optimizer, &state)
    }

    private static func incumbent<O: WeightOptimizer>(_ optimizer: O, _ state: State) -> [Float] {
        switch state.storage {
        case .live(let box): return (box as? Box<O.State>).map { optimizer.incumbent($0.value) } ?? []
        case .decoded(let value): return (try? value.decode(as: O.State.self)).map { optimizer.incumbent($0) } ?? []
        case .empty: return []
        }
    }

    /// The state's box, typed; decodes a pending state first.
    private static func box<O: WeightOptimizer>(_ optimizer: O, _ state: inout State) throws -> Box<O.State> {
        switch state.storage {
        case .live(let box):
            guard let typed = box as? Box<O.State> else {
                throw WeightLabError(.data, "the state held for optimizer '\(optimizer.name)' is a \(type(of: box)), not its own state type")
            }
            return typed
        case .decoded(let value):
            guard state.optimizer == optimizer.name else {
                throw WeightLabError(.data, "the saved state belongs to optimizer '\(state.optimizer)', not to '\(optimizer.name)'")
            }
            let decoded: O.State
            do {
                decoded = try value.decode(as: O.State.self)
            } catch {
                throw WeightLabError(.data, "the saved state of optimizer '\(optimizer.name)' does not match its state type: \(JSONCoding.describe(error))")
            }
            let box = Box(decoded)
            state.storage = .live(box)
            return box
        case .empty:
            throw WeightLabError(.data, "the state of optimizer '\(optimizer.name)' is missing")
        }
    }

    /// The state's box, typed and referenced only by the caller (copied if it was shared), so
    /// the step mutates it in place; the state holds no box until the caller puts it back.
    private static func uniqueBox<O: WeightOptimizer>(_ optimizer: O, _ state: inout State) throws -> Box<O.State> {
        var box = try box(optimizer, &state)
        state.storage = .empty
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
