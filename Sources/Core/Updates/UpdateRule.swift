/// A first-order update rule: how weights move against a gradient, and the per-weight memory
/// it keeps (Optax's gradient transformations, mlx-swift's `applySingle`). The rules live here,
/// below both optimizer families: the gradient optimizers (`SGD`, `Adam`, ...) and the
/// evolution strategies' center updates (`CenterUpdate`) run the same code.
///
/// Every rule is elementwise but ClipUp (which needs the gradient's norm), runs over blocks of
/// weights in parallel (`Parallelism.forEachRange`), and gives the same bits whatever the
/// thread count.
public protocol UpdateRule: Sendable, Equatable {
    /// The rule's per-weight memory (momentum buffers, moment estimates, ...).
    associatedtype Buffers: Codable & Sendable

    /// Fresh buffers for `dimension` weights.
    func makeBuffers(dimension: Int) -> Buffers

    /// Why decoded `buffers` cannot serve `dimension` weights (a list of another length than
    /// `makeBuffers` makes), nil when they can.
    func mismatch(_ buffers: Buffers, dimension: Int) -> String?

    /// Moves `weights` against `gradient` for update number `step` (1-based, PyTorch's t) at
    /// learning rate `learningRate`. May overwrite `gradient`.
    func update(
        weights: UnsafeMutableBufferPointer<Float>, gradient: UnsafeMutableBufferPointer<Float>,
        buffers: inout Buffers, learningRate: Float, step: Int)
}

extension UpdateRule {
    /// `update` on arrays: moves `weights` against `gradient` (which may be overwritten).
    public func update(_ weights: inout [Float], gradient: inout [Float], buffers: inout Buffers, learningRate: Float, step: Int) {
        weights.withUnsafeMutableBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                update(weights: w, gradient: g, buffers: &buffers, learningRate: learningRate, step: step)
            }
        }
    }
}
