/// ClipUp (Toklu et al., 2020, "ClipUp: A Simple and Powerful Optimizer for Distribution-based
/// Policy Evolution"): a normalized gradient step with momentum whose velocity is clipped:
///
///     v ← μv + η · g/‖g‖
///     v ← v · maxSpeed/‖v‖   when ‖v‖ > maxSpeed
///     w ← w − v
///
/// The step's length is bounded whatever the scale of the gradient (or of the fitness, for an
/// evolution strategy's estimate); the authors recommend η = maxSpeed/2. Both norms are
/// accumulated in double precision in index order, so the result does not depend on the
/// thread count.
public struct ClipUpRule: UpdateRule {
    /// The largest step length.
    public let maxSpeed: Float
    /// μ, the momentum on the velocity.
    public let momentum: Float

    /// The rule's parameters (the paper's defaults).
    public enum Parameters {
        public static let maxSpeed = Parameter<Float?>("maxSpeed", absent: "2 · learningRate", .within(1e-30...1e30), "the largest step length")
        public static let momentum = Parameter("momentum", default: Float(0.9), .within(0...0.999999), "μ, the momentum on the velocity")
    }

    /// A validated rule; throws naming the parameter out of range.
    public init(maxSpeed: Float, momentum: Float = Parameters.momentum.defaultValue) throws {
        self.init(uncheckedMaxSpeed: maxSpeed, momentum: momentum)
        try validate()
    }

    /// The authors' recommendation for step size η: maxSpeed = 2η, μ = 0.9 (check it with
    /// `validate()` before use).
    public static func recommended(stepSize: Float) -> ClipUpRule {
        ClipUpRule(uncheckedMaxSpeed: 2 * stepSize, momentum: Parameters.momentum.defaultValue)
    }

    private init(uncheckedMaxSpeed maxSpeed: Float, momentum: Float) {
        self.maxSpeed = maxSpeed
        self.momentum = momentum
    }

    /// Throws naming the parameter out of range.
    public func validate() throws {
        try Parameters.maxSpeed.check(maxSpeed)
        try Parameters.momentum.check(momentum)
    }

    /// The velocity v.
    public func makeBuffers(dimension: Int) -> [Float] {
        [Float](repeating: 0, count: dimension)
    }

    public func mismatch(_ buffers: [Float], dimension: Int) -> String? {
        SavedShapes.firstMismatch([("velocity", buffers.count, [dimension])])
    }

    public func update(
        weights w: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeMutableBufferPointer<Float>,
        buffers: inout [Float], learningRate eta: Float, step t: Int
    ) {
        if buffers.count != w.count { buffers = makeBuffers(dimension: w.count) }
        var gradientSquared = 0.0
        for i in g.indices { gradientSquared += Double(g[i]) * Double(g[i]) }
        let norm = Float(gradientSquared.squareRoot())
        let scale = norm > 0 ? eta / norm : 0
        buffers.withUnsafeMutableBufferPointer { v in
            var speedSquared = 0.0
            for i in v.indices {
                v[i] = momentum * v[i] + scale * g[i]
                speedSquared += Double(v[i]) * Double(v[i])
            }
            let speed = Float(speedSquared.squareRoot())
            let shrink: Float = speed > maxSpeed ? maxSpeed / speed : 1
            for i in v.indices {
                v[i] *= shrink
                w[i] -= v[i]
            }
        }
    }
}
