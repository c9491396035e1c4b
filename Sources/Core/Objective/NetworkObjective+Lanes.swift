extension NetworkObjective {
    /// Batches of this many samples or more split into two lanes (of 16 and up), so even small
    /// batches use two cores.
    public static let rowsForTwoLanes = 32
    /// Beyond two lanes, the fewest samples a lane takes.
    public static let rowsPerLane = 64
    /// The most lanes a pass splits into.
    public static let maximumLanes = 8

    /// The lanes a pass over `rows` samples splits into: one below `rowsForTwoLanes`, else the
    /// largest power of two up to `maximumLanes` that leaves every lane at least `rowsPerLane`
    /// samples, and at least two (a batch of 32 or 128 runs as two lanes, 256 as four, a full
    /// batch of 60,000 as eight). It depends on the batch alone, never on the thread count, so
    /// the same seed gives the same trace on any machine; powers of two keep 2, 4 or 8 cores
    /// evenly loaded.
    public static func lanes(forRows rows: Int) -> Int {
        guard rows >= rowsForTwoLanes else { return 1 }
        var lanes = 2
        while lanes * 2 <= maximumLanes && lanes * 2 * rowsPerLane <= rows { lanes *= 2 }
        return lanes
    }

    /// The lanes a gradient pass over `rows` samples splits into: `lanes(forRows:)`, or one for a
    /// network with batch normalization, whose batch statistics and running statistics follow
    /// the chunks of one pass in order. That one lane runs its products on every BLAS thread.
    public func laneCount(rows: Int) -> Int {
        network.statisticsCount == 0 ? Self.lanes(forRows: rows) : 1
    }

    /// The summed loss over `batch` (features `x`) at weights `w`, in training mode, writing the
    /// gradient of the mean loss to `gradient` (`dimension` floats, overwritten).
    ///
    /// The batch's rows are split into `laneCount(rows:)` contiguous lanes, which run their
    /// forward and backward passes in parallel (`LanePass`), each into its own gradient buffer
    /// (lane 0 into `gradient`). The lane gradients are then summed in lane order, itself in
    /// parallel over blocks of weights, and the loss sums in lane order: every number is the
    /// same whatever the thread count. Lane `i` draws its dropout masks from `streams.split(i)`.
    /// Among several `ranks`, each rank runs its share of the lanes and the ranks sum them in the
    /// same lane order, each over a slice of the weights (`NetworkObjective+Ranks.swift`).
    func laneGradient(
        _ w: UnsafePointer<Float>, _ batch: Samples, _ x: UnsafePointer<Float>,
        into gradient: UnsafeMutablePointer<Float>, statistics: UnsafeMutablePointer<Float>?, streams: RandomStream
    ) throws -> Double {
        let lanes = laneCount(rows: batch.count)
        return try withLanes(lanes, rows: batch.count, gradients: true) { scratch, chunk in
            let pass = LanePass(
                objective: self, weights: w, batch: batch, features: x, mode: .training, statistics: statistics,
                gradient: gradient, streams: streams, scratch: scratch, lanes: lanes, chunk: chunk)
            if ranks.size > 1 && lanes > 1 {
                return try sharedLanes(lanes, gradient: gradient, scratch: scratch) { pass.run(lanes: $0) }
            }
            let total = pass.run().lossSum
            guard lanes > 1 else { return total }
            Parallelism.forEachRange(dimension, with: (gradient, scratch, lanes)) { arguments, range in
                let (gradient, scratch, lanes) = arguments
                for lane in 1..<lanes {
                    let part = scratch.gradients[lane - 1]
                    for i in range { gradient[i] += part[i] }
                }
            }
            return total
        }
    }

    /// The summed loss and the correct count over `batch` at weights `w`, forward only in
    /// `mode` (no dropout), in `lanes(forRows:)` lanes summed in lane order (batch norm reads
    /// the running statistics here, so lanes are safe).
    func laneLoss(
        _ w: UnsafePointer<Float>, _ batch: Samples, _ x: UnsafePointer<Float>,
        mode: PassMode, statistics: UnsafeMutablePointer<Float>?
    ) -> (lossSum: Double, correct: Int) {
        let lanes = Self.lanes(forRows: batch.count)
        return withLanes(lanes, rows: batch.count, gradients: false) { scratch, chunk in
            LanePass(
                objective: self, weights: w, batch: batch, features: x, mode: mode, statistics: statistics,
                gradient: nil, streams: RandomStream(seed: 0), scratch: scratch, lanes: lanes, chunk: chunk
            ).run()
        }
    }

    /// Runs `body` with lane scratch from the pool, ready for `lanes` lanes over `rows` samples,
    /// and the chunk each lane's passes hold: the chunks of all lanes together hold at most
    /// `chunkSize` samples, so memory stays that of one chunk.
    private func withLanes<T>(_ lanes: Int, rows: Int, gradients: Bool, _ body: (LaneScratch, _ chunk: Int) throws -> T) rethrows -> T {
        let chunk = min((rows + lanes - 1) / lanes, max(1, chunkSize / lanes))
        let scratch = laneScratch.withLock { $0.popLast() } ?? LaneScratch(network: network)
        defer { laneScratch.withLock { $0.append(scratch) } }
        scratch.reserve(lanes: lanes, rows: chunk, gradients: gradients)
        return try body(scratch, chunk)
    }
}

/// One pass over a batch in lanes: what the lanes share, and one lane's work.
private struct LanePass {
    let objective: NetworkObjective
    let weights: UnsafePointer<Float>
    let batch: Samples
    let features: UnsafePointer<Float>
    let mode: PassMode
    let statistics: UnsafeMutablePointer<Float>?
    /// Lane 0's gradient buffer and where the lanes' sum goes; nil for a forward-only pass.
    let gradient: UnsafeMutablePointer<Float>?
    let streams: RandomStream
    let scratch: LaneScratch
    let lanes: Int
    /// The most samples a lane's forward pass holds.
    let chunk: Int

    /// Runs the lanes in parallel, each on one BLAS thread, and returns the loss sums and
    /// correct counts added in lane order. One BLAS thread even for a single lane, since
    /// OpenBLAS picks other kernels, with other rounding, for other thread counts; except for
    /// the training pass of a network with batch norm, which has only one lane (its results
    /// then depend on the thread count in the last bits).
    func run() -> (lossSum: Double, correct: Int) {
        run(lanes: 0..<lanes)
        var total = 0.0
        var correct = 0
        for lane in 0..<lanes {
            total += scratch.lossSums[lane]
            correct += scratch.correctCounts[lane]
        }
        return (total, correct)
    }

    /// Runs the lanes `owned` in parallel, leaving their results in the scratch.
    func run(lanes owned: Range<Int>) {
        let normalizes = mode == .training && objective.network.statisticsCount > 0
        BLAS.withThreads(normalizes ? Parallelism.threadCount : 1) {
            Parallelism.forEach(owned.count, with: self) { pass, _, task in pass.run(lane: owned.lowerBound + task) }
        }
    }

    /// Lane `lane`: its rows in chunks, forward (and for a gradient pass backward, writing the
    /// gradient of the batch's mean loss restricted to those rows to the lane's buffer); leaves
    /// the summed loss and correct count in the scratch.
    private func run(lane: Int) {
        let network = objective.network
        let n = batch.count
        let rows = (n * lane / lanes)..<(n * (lane + 1) / lanes)
        let ws = scratch.workspaces[lane]
        let out = gradient.map { lane == 0 ? $0 : scratch.gradients[lane - 1] }
        out?.update(repeating: 0, count: network.parameterCount)
        var rng = streams.split(lane)
        var total = 0.0
        var correct = 0
        var start = rows.lowerBound
        while start < rows.upperBound {
            let count = min(chunk, rows.upperBound - start)
            let input = features + start * network.inputWidth
            let logits = network.forward(weights: weights, input: input, rows: count, workspace: ws, mode: mode, statistics: statistics, rng: &rng)
            let part = objective.lossFunction.evaluate(
                logits: logits, rows: count, width: network.outputWidth, samples: batch, offset: start,
                gradient: out == nil ? nil : ws.gradientA, scale: 1 / Float(n))
            total += part.lossSum
            correct += part.correct
            if let out {
                network.backward(weights: weights, input: input, rows: count, workspace: ws, outputGradient: ws.gradientA, gradient: out)
            }
            start += count
        }
        scratch.lossSums[lane] = total
        scratch.correctCounts[lane] = correct
    }
}
