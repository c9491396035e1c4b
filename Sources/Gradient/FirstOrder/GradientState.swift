import WeightLabCore

/// Everything a first-order optimizer changes during a run: the weights, the update rule's
/// per-weight buffers (momentum, squared-gradient averages, ...), the step count and the
/// reduce-on-plateau schedule's memory. The gradient buffer is scratch space reused by every
/// step; it is not part of a checkpoint.
public struct GradientState<Buffers: Codable & Sendable>: Codable, Sendable {
    /// The current weights.
    public var weights: [Float]
    /// The update rule's buffers.
    public var buffers: Buffers
    /// Updates applied so far; the next update is number `step + 1` (PyTorch's t).
    public var step: Int
    /// The reduce-on-plateau schedule's memory (unused by other schedules).
    public var plateau: PlateauState
    /// The last gradient, reused by the next step so steps allocate nothing.
    public internal(set) var gradient: [Float] = []
    /// Whether the state is known to fit its problem: true when started, false when decoded
    /// until the first step has checked it (`FirstOrderOptimizer.mismatch`).
    var fitsProblem = false

    private enum CodingKeys: String, CodingKey {
        case weights, buffers, step, plateau
    }

    init(weights: [Float], buffers: Buffers, plateau: PlateauState) {
        self.weights = weights
        self.buffers = buffers
        self.step = 0
        self.plateau = plateau
        self.gradient = [Float](repeating: 0, count: weights.count)
        self.fitsProblem = true
    }

    /// Runs `body` on the weights, the gradient and the buffers in place.
    mutating func update(_ body: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>, inout Buffers) -> Void) {
        if gradient.count != weights.count { gradient = [Float](repeating: 0, count: weights.count) }
        weights.withUnsafeMutableBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in body(w, g, &buffers) }
        }
    }
}
