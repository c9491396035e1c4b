/// Scratch memory for one forward/backward pass of a `Network` on up to `capacity` samples:
/// every layer's output, dropout masks, batch-norm intermediates, two gradient buffers, and for
/// convolutions one patch matrix (im2col) and its gradient, shared by all convolution layers.
/// Allocated once and reused, so the steady-state training step allocates nothing.
/// A workspace belongs to one thread at a time (hence unchecked `Sendable`: it moves between
/// threads through the objective's pool, never shared).
public final class Workspace: @unchecked Sendable {
    public let network: Network
    /// Samples a pass may hold.
    public private(set) var capacity: Int

    var outputs: [UnsafeMutablePointer<Float>] = []
    var masks: [UnsafeMutablePointer<Float>?] = []
    var normalized: [UnsafeMutablePointer<Float>?] = []
    var inverseDeviation: [UnsafeMutablePointer<Float>?] = []
    var columnA: UnsafeMutablePointer<Float>
    var columnB: UnsafeMutablePointer<Float>
    var gradientA: UnsafeMutablePointer<Float>
    var gradientB: UnsafeMutablePointer<Float>
    var ones: UnsafeMutablePointer<Float>
    /// The patch matrix of the convolution being computed (rows × its positions × patch size).
    var patches: UnsafeMutablePointer<Float>
    /// ∂L/∂patches in a backward pass, before col2im.
    var patchGradient: UnsafeMutablePointer<Float>

    /// A workspace for passes of up to `capacity` samples.
    public init(network: Network, capacity: Int) {
        self.network = network
        self.capacity = 0
        let width = network.maximumWidth
        columnA = .allocate(capacity: width)
        columnB = .allocate(capacity: width)
        gradientA = .allocate(capacity: 1)
        gradientB = .allocate(capacity: 1)
        ones = .allocate(capacity: 1)
        patches = .allocate(capacity: 1)
        patchGradient = .allocate(capacity: 1)
        allocate(rows: max(1, capacity))
    }

    deinit {
        release()
        columnA.deallocate()
        columnB.deallocate()
    }

    /// Grows the buffers to hold `rows` samples (never shrinks).
    func reserve(_ rows: Int) {
        if rows > capacity { allocate(rows: rows) }
    }

    private func allocate(rows: Int) {
        release()
        capacity = rows
        outputs = network.layouts.map { .allocate(capacity: rows * $0.outputWidth) }
        masks = network.layouts.map { layout in
            if case .dropout = layout.layer { UnsafeMutablePointer<Float>.allocate(capacity: rows * layout.outputWidth) } else { nil }
        }
        normalized = network.layouts.map { layout in
            if case .batchNorm = layout.layer { UnsafeMutablePointer<Float>.allocate(capacity: rows * layout.outputWidth) } else { nil }
        }
        inverseDeviation = network.layouts.map { layout in
            if case .batchNorm = layout.layer { UnsafeMutablePointer<Float>.allocate(capacity: layout.outputWidth) } else { nil }
        }
        let width = network.maximumWidth
        gradientA = .allocate(capacity: rows * width)
        gradientB = .allocate(capacity: rows * width)
        let positions = rows * network.maximumPositions
        ones = .allocate(capacity: positions)
        ones.initialize(repeating: 1, count: positions)
        let patchFloats = max(1, rows * network.maximumPatchFloats)
        patches = .allocate(capacity: patchFloats)
        patchGradient = .allocate(capacity: patchFloats)
    }

    private func release() {
        outputs.forEach { $0.deallocate() }
        masks.forEach { $0?.deallocate() }
        normalized.forEach { $0?.deallocate() }
        inverseDeviation.forEach { $0?.deallocate() }
        outputs = []
        masks = []
        normalized = []
        inverseDeviation = []
        gradientA.deallocate()
        gradientB.deallocate()
        ones.deallocate()
        patches.deallocate()
        patchGradient.deallocate()
    }

    /// The output of the last forward pass (rows × network.outputWidth).
    public var lastOutput: UnsafeMutablePointer<Float> { outputs[outputs.count - 1] }
}
