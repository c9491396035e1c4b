import Synchronization

/// The loss and accuracy of a weight vector on a set of samples.
public struct Evaluation: Sendable, Equatable, Codable {
    /// Mean data loss (no regularization penalty).
    public var loss: Float
    /// Share of samples classified correctly; nil for regression.
    public var accuracy: Float?
    /// Samples evaluated.
    public var count: Int
}

/// Training a network as an `Objective`: the mean `loss` of the network's outputs on a batch,
/// plus the regularizer's penalty on the dense weights and convolution kernels.
///
/// Passes run in data-parallel lanes: the batch's rows are split into parts fixed by the batch
/// size (two for a batch of 128) that run in parallel and are summed in a fixed order, so results
/// do not depend on the thread count (see `NetworkObjective+Lanes.swift`; a training pass with
/// batch norm keeps one lane). Batches larger than `chunkSize` are processed in chunks (summing
/// gradients), so full-batch methods run on any data set size in bounded memory; batch
/// normalization then normalizes per chunk. Batch-norm running statistics live here, updated by
/// training-mode passes (`lossAndGradient`) and used by inference-mode ones (`loss(at:on:)`,
/// `evaluate`).
public final class NetworkObjective: Objective, @unchecked Sendable {
    public let network: Network
    public let lossFunction: Loss
    public let regularizer: Regularizer
    public let ledger: CostLedger
    /// The most samples one forward pass holds.
    public let chunkSize: Int
    /// The ranks that share population evaluation (see `NetworkObjective+Ranks.swift`); a
    /// world of one by default.
    public let ranks: any Communicator

    public var dimension: Int { network.parameterCount }
    public var providesGradient: Bool { true }

    private let statistics: Mutex<[Float]>
    /// Whether training passes draw dropout masks.
    private let drawsMasks: Bool
    let workspaces = Mutex<[Workspace]>([])
    let laneScratch = Mutex<[LaneScratch]>([])

    /// An objective over `network`; `chunkSize` defaults to `network.defaultChunkSize` (2,048 for
    /// perceptrons, fewer for convolutional networks, whose workspaces are larger per sample).
    public init(network: Network, loss: Loss = .softmaxCrossEntropy, regularizer: Regularizer = .none, ledger: CostLedger = CostLedger(), chunkSize: Int? = nil, ranks: any Communicator = LocalCommunicator()) {
        self.network = network
        self.lossFunction = loss
        self.regularizer = regularizer
        self.ledger = ledger
        self.chunkSize = max(1, chunkSize ?? network.defaultChunkSize)
        self.ranks = ranks
        self.statistics = Mutex(network.initialStatistics())
        self.drawsMasks = network.layers.contains { if case .dropout(let rate) = $0 { rate > 0 } else { false } }
    }

    /// Batch-norm running statistics (mean then variance per normalized unit), for checkpoints.
    public var runningStatistics: [Float] {
        get { statistics.withLock { $0 } }
        set { statistics.withLock { $0 = newValue } }
    }

    public func loss(at weights: [Float], on batch: Samples) throws -> Float {
        try check(weights, batch)
        ledger.charge(CostLedger.forwardCost(samples: batch.count))
        let total = dataLoss(weights, batch).lossSum
        return Float(total / Double(batch.count) + penalty(weights, gradient: nil))
    }

    public func lossAndGradient(at weights: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float {
        try check(weights, batch)
        let n = batch.count
        ledger.charge(CostLedger.gradientCost(samples: n))
        if gradient.count != dimension { gradient = [Float](repeating: 0, count: dimension) }
        // Lane i draws its dropout masks from `streams.split(i)`: one draw from `rng` per step,
        // whatever the lanes, and none without dropout.
        let streams = drawsMasks ? rng.fork() : rng
        let total = try statistics.withLock { stats in
            try stats.withUnsafeMutableBufferPointer { s in
                try weights.withUnsafeBufferPointer { w in
                    try batch.features.withUnsafeBufferPointer { x in
                        try gradient.withUnsafeMutableBufferPointer { g in
                            try laneGradient(w.baseAddress!, batch, x.baseAddress!, into: g.baseAddress!, statistics: s.baseAddress, streams: streams)
                        }
                    }
                }
            }
        }
        return Float(total / Double(n) + penalty(weights, gradient: &gradient))
    }

    /// Every individual on the same batch. The first dense layer of all individuals shares its
    /// input, so it runs as one wide product on all BLAS threads (see
    /// `NetworkObjective+Population.swift`); the remaining layers run in parallel across
    /// individuals, each on one BLAS thread, so population and BLAS threading never
    /// oversubscribe the cores. Batch norm uses batch statistics (an individual has no running
    /// statistics of its own).
    public func losses(of population: PopulationMatrix, on batch: Samples, into losses: inout [Float]) throws {
        guard population.dimension == dimension else {
            throw WeightLabError.shape("population dimension", expected: dimension, actual: population.dimension)
        }
        try check(batch)
        let p = population.count
        ledger.charge(p * CostLedger.forwardCost(samples: batch.count))
        if losses.count != p { losses = [Float](repeating: 0, count: p) }
        guard p > 0 else { return }
        let sums = ranks.size > 1 ? try sharedPopulationLossSums(population, batch) : populationLossSums(population, batch)
        let n = Double(batch.count)
        population.values.withUnsafeBufferPointer { all in
            for i in 0..<p {
                let row = UnsafeBufferPointer(rebasing: all[(i * dimension)..<((i + 1) * dimension)])
                losses[i] = Float(sums[i] / n + penalty(row, gradient: nil))
            }
        }
    }

    /// Mean data loss and accuracy over all of `samples`, in inference mode. Monitoring is not
    /// optimization: this is not charged to the ledger.
    public func evaluate(_ weights: [Float], on samples: Samples) throws -> Evaluation {
        try check(weights, samples)
        let (sum, correct) = dataLoss(weights, samples)
        let n = samples.count
        return Evaluation(
            loss: Float(sum / Double(n)),
            accuracy: lossFunction.measuresAccuracy ? Float(correct) / Float(n) : nil,
            count: n)
    }

    /// The network's outputs for `samples` (count × outputWidth), in inference mode.
    public func outputs(_ weights: [Float], for samples: Samples) throws -> [Float] {
        try check(weights, samples, checkTargets: false)
        let k = network.outputWidth
        var result = [Float](repeating: 0, count: samples.count * k)
        withWorkspace { ws in
            statistics.withLock { stats in
                stats.withUnsafeMutableBufferPointer { s in
                    weights.withUnsafeBufferPointer { w in
                        samples.features.withUnsafeBufferPointer { x in
                            var rng = RandomStream(seed: 0)
                            var start = 0
                            while start < samples.count {
                                let rows = min(chunkSize, samples.count - start)
                                let out = network.forward(weights: w.baseAddress!, input: x.baseAddress! + start * network.inputWidth, rows: rows, workspace: ws, mode: .inference, statistics: s.baseAddress, rng: &rng)
                                for i in 0..<(rows * k) { result[start * k + i] = out[i] }
                                start += rows
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    // MARK: - Pieces

    /// The summed data loss and the correct count over `batch`, in inference mode, in lanes.
    private func dataLoss(_ weights: [Float], _ batch: Samples) -> (lossSum: Double, correct: Int) {
        statistics.withLock { stats in
            stats.withUnsafeMutableBufferPointer { s in
                weights.withUnsafeBufferPointer { w in
                    batch.features.withUnsafeBufferPointer { x in
                        laneLoss(w.baseAddress!, batch, x.baseAddress!, mode: .inference, statistics: s.baseAddress)
                    }
                }
            }
        }
    }

    private func penalty(_ weights: [Float], gradient: UnsafeMutablePointer<[Float]>?) -> Double {
        guard regularizer.isActive else { return 0 }
        return weights.withUnsafeBufferPointer { w in
            if let gradient {
                return gradient.pointee.withUnsafeMutableBufferPointer { g in penalty(w, gradient: g.baseAddress) }
            }
            return penalty(w, gradient: nil)
        }
    }

    func penalty(_ w: UnsafeBufferPointer<Float>, gradient: UnsafeMutablePointer<Float>?) -> Double {
        guard regularizer.isActive else { return 0 }
        var total = 0.0
        for range in network.denseWeightRanges {
            total += regularizer.penalty(w.baseAddress! + range.lowerBound, count: range.count, gradient: gradient.map { $0 + range.lowerBound })
        }
        return total
    }

    func takeWorkspace() -> Workspace {
        workspaces.withLock { $0.popLast() } ?? Workspace(network: network, capacity: min(chunkSize, 256))
    }

    private func withWorkspace<T>(_ body: (Workspace) throws -> T) rethrows -> T {
        let ws = takeWorkspace()
        defer { workspaces.withLock { $0.append(ws) } }
        return try body(ws)
    }

    private func check(_ weights: [Float], _ batch: Samples, checkTargets: Bool = true) throws {
        try checkDimension(weights, dimension)
        try check(batch, checkTargets: checkTargets)
    }

    private func check(_ batch: Samples, checkTargets: Bool = true) throws {
        guard batch.count > 0 else { throw WeightLabError(.shape, "empty batch: there are no samples to evaluate") }
        guard batch.featureCount == network.inputWidth else {
            throw WeightLabError.shape("input width (features per sample)", expected: network.inputWidth, actual: batch.featureCount)
        }
        if checkTargets { try lossFunction.check(batch, outputs: network.outputWidth) }
    }
}
