/// The order in which a training set is visited in mini-batches: reshuffled at the start of
/// every epoch from its own random stream, the last partial batch kept or dropped.
///
/// Only the stream at the epoch's start and the position are stored (the permutation is
/// recomputed when decoded), so a checkpoint stays small and resumes the identical order.
/// `next()` reuses its index storage: no allocation per batch in the steady state.
public struct MiniBatches: Codable, Sendable {
    /// The number of samples visited.
    public let sampleCount: Int
    /// Samples per batch.
    public let batchSize: Int
    /// Whether a final batch smaller than `batchSize` is skipped.
    public let dropLast: Bool
    /// Completed passes over the data.
    public private(set) var epoch: Int
    /// Samples handed out since the start.
    public private(set) var samplesDrawn: Int

    /// The stream this epoch's shuffle started from; the next epoch's starts where it ended.
    private var epochStart: RandomStream
    private var cursor: Int
    private var order: [Int]

    /// Batches of `batchSize` over `sampleCount` samples, shuffled from `rng`.
    public init(sampleCount: Int, batchSize: Int, dropLast: Bool = false, rng: RandomStream) throws {
        try validateCount("sampleCount", sampleCount, atLeast: 1)
        try validateCount("batchSize", batchSize, atLeast: 1)
        if dropLast && batchSize > sampleCount {
            throw WeightLabError.parameter("batchSize", batchSize, allowed: "at most the \(sampleCount) samples when the last partial batch is dropped")
        }
        self.sampleCount = sampleCount
        self.batchSize = batchSize
        self.dropLast = dropLast
        self.epoch = 0
        self.samplesDrawn = 0
        self.epochStart = rng
        self.cursor = 0
        self.order = Array(0..<sampleCount)
        shuffleForEpoch()
    }

    /// Batches per epoch.
    public var batchesPerEpoch: Int {
        dropLast ? sampleCount / batchSize : (sampleCount + batchSize - 1) / batchSize
    }

    /// Fractional epochs visited so far.
    public var epochsDrawn: Double { Double(samplesDrawn) / Double(sampleCount) }

    /// The indices of the next batch; a new epoch (and a new shuffle) starts when one ends.
    public mutating func next() -> ArraySlice<Int> {
        let remaining = sampleCount - cursor
        if remaining == 0 || (dropLast && remaining < batchSize) {
            epoch += 1
            cursor = 0
            advanceEpoch()
        }
        let size = min(batchSize, sampleCount - cursor)
        let batch = order[cursor..<(cursor + size)]
        cursor += size
        samplesDrawn += size
        return batch
    }

    /// The stream that transforms (augments) the batch `next()` last returned: a function of the
    /// epoch's stream and the batch's place in it, so a run resumed from a checkpoint draws the same.
    public var streamForLastBatch: RandomStream { epochStart.split(1 + cursor) }

    /// Advances to the next epoch's stream and reshuffles from it.
    private mutating func advanceEpoch() {
        var rng = epochStart
        _ = rng.next()
        epochStart = rng.fork()
        shuffleForEpoch()
    }

    private mutating func shuffleForEpoch() {
        var rng = epochStart
        for i in 0..<sampleCount { order[i] = i }
        rng.shuffle(&order)
    }

    /// What a checkpoint keeps; `encode(to:)` is synthesized from it, `order` is recomputed.
    private enum CodingKeys: String, CodingKey {
        case sampleCount, batchSize, dropLast, epoch, samplesDrawn, cursor
        case epochStart = "epochStream"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sampleCount = try c.decode(Int.self, forKey: .sampleCount)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        dropLast = try c.decode(Bool.self, forKey: .dropLast)
        epoch = try c.decode(Int.self, forKey: .epoch)
        samplesDrawn = try c.decode(Int.self, forKey: .samplesDrawn)
        cursor = try c.decode(Int.self, forKey: .cursor)
        guard sampleCount > 0, batchSize > 0, (0...sampleCount).contains(cursor) else {
            throw WeightLabError(.data, "checkpointed mini-batch state is inconsistent")
        }
        epochStart = try c.decode(RandomStream.self, forKey: .epochStart)
        order = Array(0..<sampleCount)
        shuffleForEpoch()
    }
}
