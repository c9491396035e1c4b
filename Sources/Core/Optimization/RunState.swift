/// What a run carries from step to step besides the optimizer's own state: the stream every
/// step draws from, the mini-batch cursor, and the ledger units the run has spent.
///
/// `Trainer` makes one per run and hands it to `start` and every `step`; a combiner passes the
/// same value on to its parts, so they draw from one stream and one mini-batch order. A
/// checkpoint saves it whole. Keeping it out of `Problem` leaves the problem immutable: one
/// problem can serve any number of runs, at once or one after another, each from its start.
public struct RunState: Sendable, Codable {
    /// The stream every step draws from.
    public var rng: RandomStream
    /// The mini-batch order and its position; nil when the problem draws no mini-batches.
    public private(set) var batches: MiniBatches?
    /// Ledger units the run has charged up to the last completed step (set by the run loop).
    public internal(set) var costUnits: Int
    /// Whether `batches` holds a problem's order yet (see `init(rng:)`).
    private var hasBatchOrder: Bool
    /// Storage of the current mini-batch, reused from batch to batch (not saved).
    private var batchBuffer = Samples.empty

    /// The state a run on `problem` starts in: the problem's first mini-batch order, nothing
    /// spent, and `rng` for the steps.
    public init(_ problem: Problem, rng: RandomStream) {
        self.rng = rng
        self.batches = problem.batchOrder
        self.costUnits = 0
        self.hasBatchOrder = true
    }

    /// A state for driving an optimizer by hand: the mini-batch order is that of the first
    /// problem a batch is drawn from.
    public init(rng: RandomStream) {
        self.rng = rng
        self.batches = nil
        self.costUnits = 0
        self.hasBatchOrder = false
    }

    /// The next shuffled mini-batch of `problem`'s training set (epoch by epoch); the whole
    /// set when the problem draws no mini-batches. The samples stay valid until the next call.
    public mutating func nextBatch(of problem: Problem) -> Samples {
        if !hasBatchOrder {
            batches = problem.batchOrder
            hasBatchOrder = true
        }
        guard let indices = batches?.next() else { return problem.training }
        batchBuffer.replace(with: problem.training, rows: indices)
        // Augmented from the mini-batch order's stream, which this state saves: a resumed run
        // transforms the same batches the same way. The whole training set is never augmented.
        if let augmentation = problem.augmentation, var stream = batches?.streamForLastBatch {
            augmentation.transforms.apply(to: &batchBuffer, shape: augmentation.shape, rng: &stream)
        }
        return batchBuffer
    }

    /// What a checkpoint keeps; `encode(to:)` is synthesized from it.
    private enum CodingKeys: String, CodingKey { case rng, batches, costUnits }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rng = try c.decode(RandomStream.self, forKey: .rng)
        batches = try c.decodeIfPresent(MiniBatches.self, forKey: .batches)
        costUnits = try c.decode(Int.self, forKey: .costUnits)
        hasBatchOrder = true
    }
}
