extension NetworkObjective {
    /// The fewest samples a lane of a gradient pass takes (see `laneCount(rows:)`).
    public static let rowsPerLane = 64
    /// The most lanes a gradient pass splits into.
    public static let maximumLanes = 8

    /// The lanes a gradient pass over `rows` samples splits into: the largest power of two up
    /// to `maximumLanes` that leaves every lane at least `rowsPerLane` samples (a batch of 128
    /// runs as two lanes of 64, a full batch of 60,000 as eight), and one lane for a network
    /// with batch normalization, whose batch statistics and running statistics follow the
    /// chunks of one pass in order. It depends on the batch alone, never on the thread count,
    /// so the same seed gives the same trace on any machine.
    public func laneCount(rows: Int) -> Int {
        guard network.statisticsCount == 0 else { return 1 }
        var lanes = 1
        while lanes * 2 <= Self.maximumLanes && lanes * 2 * Self.rowsPerLane <= rows { lanes *= 2 }
        return lanes
    }

    /// The summed loss over `batch` (features `x`) at weights `w`, writing the gradient of the
    /// mean loss to `gradient` (`dimension` floats, overwritten).
    ///
    /// The batch's rows are split into `laneCount(rows:)` contiguous lanes. Each lane runs
    /// forward and backward passes over its rows, in chunks, on its own workspace into its own
    /// gradient buffer (lane 0 into `gradient`), with one BLAS thread; the lanes run in
    /// parallel. The lane gradients are then summed in lane order, itself in parallel over
    /// blocks of weights, and the loss sums in lane order: every number is the same whatever
    /// the thread count. Lane `i` draws its dropout masks from `streams.split(i)`. A single lane
    /// runs on the calling thread with every BLAS thread. The chunks of all lanes together hold
    /// at most `chunkSize` samples, so memory stays that of one chunk.
    func laneGradient(
        _ w: UnsafePointer<Float>, _ batch: Samples, _ x: UnsafePointer<Float>,
        into gradient: UnsafeMutablePointer<Float>, statistics: UnsafeMutablePointer<Float>?, streams: RandomStream
    ) -> Double {
        let n = batch.count
        let lanes = laneCount(rows: n)
        let chunk = min((n + lanes - 1) / lanes, max(1, chunkSize / lanes))
        let scratch = laneScratch.withLock { $0.popLast() } ?? GradientLanes(network: network)
        defer { laneScratch.withLock { $0.append(scratch) } }
        scratch.reserve(lanes: lanes, rows: chunk)
        let pass = LanePass(
            objective: self, weights: w, batch: batch, features: x, gradient: gradient, statistics: statistics,
            streams: streams, scratch: scratch, lanes: lanes, chunk: chunk)
        guard lanes > 1 else { return pass.run(lane: 0) }
        BLAS.withThreads(1) {
            Parallelism.forEach(lanes, with: pass) { pass, _, lane in
                pass.scratch.lossSums[lane] = pass.run(lane: lane)
            }
        }
        Parallelism.forEachRange(dimension, with: (gradient, scratch, lanes)) { arguments, range in
            let (gradient, scratch, lanes) = arguments
            for lane in 1..<lanes {
                let part = scratch.gradients[lane - 1]
                for i in range { gradient[i] += part[i] }
            }
        }
        var total = 0.0
        for lane in 0..<lanes { total += scratch.lossSums[lane] }
        return total
    }
}

/// What the lanes of one gradient pass share, and one lane's work.
private struct LanePass {
    let objective: NetworkObjective
    let weights: UnsafePointer<Float>
    let batch: Samples
    let features: UnsafePointer<Float>
    /// Lane 0's gradient buffer, and where the lanes' sum goes.
    let gradient: UnsafeMutablePointer<Float>
    let statistics: UnsafeMutablePointer<Float>?
    let streams: RandomStream
    let scratch: GradientLanes
    let lanes: Int
    /// The most samples a lane's forward pass holds.
    let chunk: Int

    /// Forward and backward passes over the lane's rows in chunks, writing the gradient of the
    /// batch's mean loss restricted to those rows to the lane's buffer; returns their summed loss.
    func run(lane: Int) -> Double {
        let network = objective.network
        let n = batch.count
        let rows = (n * lane / lanes)..<(n * (lane + 1) / lanes)
        let ws = scratch.workspaces[lane]
        let out = lane == 0 ? gradient : scratch.gradients[lane - 1]
        var rng = streams.split(lane)
        out.update(repeating: 0, count: network.parameterCount)
        var total = 0.0
        var start = rows.lowerBound
        while start < rows.upperBound {
            let count = min(chunk, rows.upperBound - start)
            let input = features + start * network.inputWidth
            let logits = network.forward(weights: weights, input: input, rows: count, workspace: ws, mode: .training, statistics: statistics, rng: &rng)
            total += objective.lossFunction.evaluate(
                logits: logits, rows: count, width: network.outputWidth, samples: batch, offset: start,
                gradient: ws.gradientA, scale: 1 / Float(n)).lossSum
            network.backward(weights: weights, input: input, rows: count, workspace: ws, outputGradient: ws.gradientA, gradient: out)
            start += count
        }
        return total
    }
}
