/// A network training run, described: the data set, the network and how it is priced, how the
/// problem draws its batches, the optimizer's specification and the run's rules. The command
/// line (`weightlab train`) and the experiment runner fill one in; `NetworkRun` builds it.
public struct NetworkRunDescription: Sendable {
    /// The data: `train` is trained on, `validation` measured at every row and `test` at the
    /// end (each when not empty).
    public var dataset: Dataset
    public var network: Network
    public var regularizer: Regularizer
    public var initializer: Initializer
    /// Samples per mini-batch for stochastic steps; nil for the whole set.
    public var batchSize: Int?
    /// `Problem.fullBatch` holds at most this many samples.
    public var fullBatchLimit: Int?
    public var fitness: Problem.FitnessSamples
    /// The stream the problem's mini-batch order and subsets are drawn from.
    public var problemStream: RandomStream
    public var optimizer: OptimizerSpec
    public var stopping: StoppingPlan
    public var recording: Recording?
    public var measuresTrainingLoss: Bool
    public var checkpoint: CheckpointPolicy?
    /// The run's seed (initial weights and every step's draws).
    public var seed: UInt64
    /// The ranks the objective shares its work among (docs/scale-out.md); a world of one by default.
    public var ranks: any Communicator
    /// Random transforms of the training mini-batches (`--augment`, `network.augment`), nil for none.
    public var augmentation: TrainingAugmentation?
    /// Stops the run at a step boundary when requested (`RunConfiguration.interruption`).
    public var interruption: Interruption?

    public init(
        dataset: Dataset, network: Network, regularizer: Regularizer = .none, initializer: Initializer,
        batchSize: Int?, fullBatchLimit: Int? = nil, fitness: Problem.FitnessSamples = .all, problemStream: RandomStream,
        optimizer: OptimizerSpec, stopping: StoppingPlan, recording: Recording? = nil, measuresTrainingLoss: Bool = false,
        checkpoint: CheckpointPolicy? = nil, seed: UInt64, ranks: any Communicator = LocalCommunicator(),
        augmentation: TrainingAugmentation? = nil, interruption: Interruption? = nil
    ) {
        self.dataset = dataset
        self.network = network
        self.regularizer = regularizer
        self.initializer = initializer
        self.batchSize = batchSize
        self.fullBatchLimit = fullBatchLimit
        self.fitness = fitness
        self.problemStream = problemStream
        self.optimizer = optimizer
        self.stopping = stopping
        self.recording = recording
        self.measuresTrainingLoss = measuresTrainingLoss
        self.checkpoint = checkpoint
        self.seed = seed
        self.ranks = ranks
        self.augmentation = augmentation
        self.interruption = interruption
    }
}

/// A run assembled from its description: data set → network → objective → problem →
/// stopping rules → trainer, the chain the command line and the experiment runner share.
public struct NetworkRun: Sendable {
    public let objective: NetworkObjective
    public let problem: Problem
    public let trainer: Trainer<AnyWeightOptimizer>

    /// Builds the run, the optimizer through `registry`; throws for a bad specification or a
    /// configuration that does not fit the problem.
    public init(_ description: NetworkRunDescription, registry: OptimizerRegistry) throws {
        let data = description.dataset
        let network = description.network
        let initializer = description.initializer
        objective = NetworkObjective(network: network, loss: Self.loss(for: data), regularizer: description.regularizer, ranks: description.ranks)
        problem = try Problem(
            objective: objective, training: data.train, batchSize: description.batchSize, fullBatchLimit: description.fullBatchLimit,
            fitnessSamples: description.fitness, rng: description.problemStream, augmentation: description.augmentation,
            weightScales: network.initialScales(initializer)
        ) { rng in network.initialWeights(initializer, rng: &rng) }
        let configuration = RunConfiguration(
            stopping: description.stopping.rules, recording: description.recording,
            validation: data.validation.count > 0 ? data.validation : nil, test: data.test.count > 0 ? data.test : nil,
            measuresTrainingLoss: description.measuresTrainingLoss, checkpoint: description.checkpoint, seed: description.seed,
            interruption: description.interruption)
        trainer = try Trainer(AnyWeightOptimizer(try registry.make(description.optimizer)), on: problem, configuration: configuration)
    }

    /// The loss a data set trains with: softmax cross-entropy over classes, squared error on targets.
    public static func loss(for dataset: Dataset) -> Loss {
        dataset.isClassification ? .softmaxCrossEntropy : .meanSquaredError
    }
}
