/// What an optimizer works on: an objective, and the training data its batches come from.
/// Immutable: what changes during a run (the mini-batch cursor, the stream, the units spent)
/// is the run's `RunState`.
///
/// Every optimizer draws its batches the same way: `RunState.nextBatch(of:)` for stochastic
/// gradient steps (shuffled mini-batches in `batchOrder`, epoch by epoch), `fullBatch` for
/// deterministic methods such as line searches, and `fitnessBatch(rng:)` for population
/// methods, which price every individual of a generation on the same samples. For analytic
/// functions all three are `Samples.empty`.
public final class Problem: Sendable {
    /// How population methods choose the samples a generation is priced on.
    public enum FitnessSamples: Codable, Sendable, Equatable {
        /// The same `size` samples every generation (the first `size` of a fixed shuffle).
        case fixed(size: Int)
        /// A fresh random subset of `size` samples every generation.
        case resampled(size: Int)
        /// The whole training set.
        case all
    }

    /// The objective every optimizer lowers; with a `box`, the objective confined to it by
    /// clipping with a penalty (`BoxedObjective`), equal to the given one inside the box.
    public let objective: any Objective
    /// The search domain, when the problem declares one (nil: unbounded).
    public let box: SearchBox?
    /// Every weight's scale on a network: its layer's initializer standard deviation
    /// (`Network.initialScales`), which step-size defaults follow; nil elsewhere.
    public let weightScales: [Float]?
    /// The training samples (`Samples.empty` for an analytic function).
    public let training: Samples
    /// The mini-batch order every run on this problem starts from (nil without a batch size).
    public let batchOrder: MiniBatches?
    /// How population methods pick their samples.
    public let fitnessSamples: FitnessSamples
    /// Draws a fresh starting point: the network's initializer for networks, a spread around
    /// the customary start for analytic functions. Population methods seed their first
    /// generation from it.
    public let sampleWeights: @Sendable (inout RandomStream) -> [Float]
    /// Random transforms of every training mini-batch (`nextBatch()`), and of fitness batches
    /// when asked; nil for none.
    public let augmentation: TrainingAugmentation?

    private let fullBatchCache: Samples
    private let fixedFitness: Samples

    /// A problem over `objective` trained on `training`.
    /// - Parameters:
    ///   - batchSize: samples per mini-batch (`RunState.nextBatch(of:)`); nil when the data set is small enough for one batch.
    ///   - fullBatchLimit: `fullBatch` holds at most this many samples (a fixed subset when smaller).
    ///   - rng: the stream the mini-batch order and the fixed subsets are drawn from.
    public init(
        objective: any Objective,
        training: Samples = .empty,
        batchSize: Int? = nil,
        dropLast: Bool = false,
        fullBatchLimit: Int? = nil,
        fitnessSamples: FitnessSamples = .all,
        rng: RandomStream = RandomStream(seed: 0),
        box: SearchBox? = nil,
        augmentation: TrainingAugmentation? = nil,
        weightScales: [Float]? = nil,
        sampleWeights: @escaping @Sendable (inout RandomStream) -> [Float]
    ) throws {
        if let augmentation, augmentation.shape.count != training.featureCount {
            throw WeightLabError(.shape, "augmentation: images of \(augmentation.shape) hold \(augmentation.shape.count) features, the training samples have \(training.featureCount)")
        }
        if let box {
            guard !(objective is NetworkObjective) else {
                throw WeightLabError(.unsupported, "a search box on a network objective is not supported: networks take their step sizes from each layer's initializer scale")
            }
            self.objective = try BoxedObjective(objective, box: box)
        } else {
            self.objective = objective
        }
        self.box = box
        self.weightScales = weightScales
        self.training = training
        self.fitnessSamples = fitnessSamples
        self.sampleWeights = sampleWeights
        self.augmentation = augmentation
        let n = training.count
        if n > 0, let batchSize {
            batchOrder = try MiniBatches(sampleCount: n, batchSize: batchSize, dropLast: dropLast, rng: rng.split(1))
        } else {
            batchOrder = nil
        }
        var order = Array(0..<n)
        var shuffle = rng.split(2)
        shuffle.shuffle(&order)
        if let limit = fullBatchLimit, limit < n {
            try validateCount("fullBatchLimit", limit, atLeast: 1)
            fullBatchCache = training.subset(order.prefix(limit))
        } else {
            fullBatchCache = training
        }
        switch fitnessSamples {
        case .fixed(let size), .resampled(let size):
            try validateCount("fitness subset size", size, atLeast: 1)
            fixedFitness = size < n ? training.subset(order.prefix(size)) : training
        case .all:
            fixedFitness = training
        }
    }

    /// The same training data, full batch and fitness subset as `problem`, over another
    /// `objective` (a reparameterization of the problem's, as `SubspaceObjective` is) whose
    /// starting points come from `sampleWeights`; a combiner steps it with the run's own
    /// `RunState`, so its mini-batches continue the original's order.
    public init(reparameterizing problem: Problem, objective: any Objective, sampleWeights: @escaping @Sendable (inout RandomStream) -> [Float]) {
        self.objective = objective
        self.box = nil
        self.weightScales = nil
        self.training = problem.training
        self.batchOrder = problem.batchOrder
        self.fitnessSamples = problem.fitnessSamples
        self.sampleWeights = sampleWeights
        self.augmentation = problem.augmentation
        self.fullBatchCache = problem.fullBatchCache
        self.fixedFitness = problem.fixedFitness
    }

    /// The number of weights.
    public var dimension: Int { objective.dimension }
    /// The objective's cost ledger.
    public var ledger: CostLedger { objective.ledger }

    /// A deterministic batch for line searches and full-batch methods: the training set, or
    /// a fixed subset of it when a limit was set.
    public var fullBatch: Samples { fullBatchCache }

    /// The samples one generation is priced on (see `FitnessSamples`).
    public func fitnessBatch(rng: inout RandomStream) -> Samples {
        var batch = fitnessBatchAsDrawn(rng: &rng)
        if let augmentation, augmentation.appliesToFitness {
            augmentation.transforms.apply(to: &batch, shape: augmentation.shape, rng: &rng)
        }
        return batch
    }

    private func fitnessBatchAsDrawn(rng: inout RandomStream) -> Samples {
        guard case .resampled(let size) = fitnessSamples, size < training.count else { return fixedFitness }
        var chosen = Set<Int>()
        var indices: [Int] = []
        indices.reserveCapacity(size)
        while indices.count < size {
            let i = rng.index(below: training.count)
            if chosen.insert(i).inserted { indices.append(i) }
        }
        return training.subset(indices)
    }
}

/// How a problem augments its training images.
public struct TrainingAugmentation: Sendable, Equatable {
    public var transforms: Augmentation
    /// The images' shape (channels-last).
    public var shape: ImageShape
    /// Whether population methods' fitness batches are augmented too (from the generation's stream).
    public var appliesToFitness: Bool

    public init(_ transforms: Augmentation, shape: ImageShape, appliesToFitness: Bool = false) {
        self.transforms = transforms
        self.shape = shape
        self.appliesToFitness = appliesToFitness
    }
}

extension Problem {
    /// A problem over an analytic function, starting near `start` (a spread of `spread` around
    /// it, the function's customary start when nil). With a `box` and no `start`, starting
    /// points are uniform draws in the box; with both, draws around `start` are clipped into it.
    public convenience init(function: AnalyticFunction, start: [Float]? = nil, spread: Float = 1, box: SearchBox? = nil) throws {
        if let box, start == nil {
            try self.init(objective: function, box: box) { rng in box.uniformPoint(rng: &rng) }
            return
        }
        let center = start ?? function.customaryStart
        try self.init(objective: function, box: box) { rng in
            let draw = center.map { $0 + spread * rng.normal() }
            return box.map { $0.clipped(draw) } ?? draw
        }
    }
}
