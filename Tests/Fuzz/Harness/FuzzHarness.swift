import Foundation
import WeightLab
import WeightLabExperiments

/// What each fuzz target does with one input: hand the bytes to one reader of outside data the
/// way its user would: as a file for the data, weights, checkpoint and spec readers, as the text
/// of an option for `--layers` and `--augment`, as arguments of the C functions for the C ABI.
/// The reader may accept the input or throw; anything else (a trap, an unbounded allocation, a
/// hang) is a finding. The libFuzzer targets (`Tests/Fuzz/Targets`) and the regression tests
/// (`Tests/FuzzRegressionTests`) both call it.
public enum FuzzHarness: String, CaseIterable, Sendable {
    /// IDX images and labels, the bytes as they are (gzip when they start with its magic).
    case idx
    /// IDX images and labels inside a gzip stream: the bytes are the compressed file.
    case idxGzip = "idx-gzip"
    /// A CSV table with the default options, and again as regression targets with a header.
    case csv
    /// A CIFAR-10 binary batch.
    case cifar
    /// A checkpoint resumed by a small momentum-SGD run (12 steps in all).
    case checkpoint
    /// A WeightLab weights file.
    case weights
    /// A NumPy `.npy` weights file.
    case npy
    /// An experiment specification in YAML, read and validated against the registry.
    case specYAML = "spec-yaml"
    /// An experiment specification in JSON.
    case specJSON = "spec-json"
    /// The `--layers` grammar: the bytes as text, built into a network on 8×8×1 images with 10
    /// outputs and, when it has at most 50,000 weights, differentiated on two images.
    case layers
    /// The `--augment` pipeline: the bytes as text, applied to a batch of three 8×8×2 images.
    case augment
    /// The IMDB reviews reader: the bytes, cut at each zero byte, are the reviews of an `aclImdb`
    /// folder, dealt in turn to train/neg, train/pos, test/neg and test/pos.
    case imdb
    /// The C ABI's `wl_create`: the first byte picks the dimension (1 to 8), the rest is the JSON
    /// specification; then three generations on the sphere, the state saved, restored and stepped.
    case cSpec = "c-spec"
    /// The C ABI's `wl_restore`: the bytes are a saved state; then one generation on the sphere.
    case cState = "c-state"

    /// The extension the input file gets (the readers of weights and specs go by it); nil for
    /// the targets whose input is not a file.
    var fileExtension: String? {
        switch self {
        case .idx: "idx"
        case .idxGzip: "idx.gz"
        case .csv: "csv"
        case .cifar: "bin"
        case .checkpoint: "json"
        case .weights: "weights"
        case .npy: "npy"
        case .specYAML: "yaml"
        case .specJSON: "json"
        case .layers, .augment, .imdb, .cSpec, .cState: nil
        }
    }

    /// The name of the file (or, for `imdb`, the folder) the input is written to.
    var inputFileName: String { "input-\(rawValue)" + (fileExtension.map { ".\($0)" } ?? "") }

    /// What every error this target's reader throws must name so that its user can find the bad
    /// input: the file, the option, or, for the C ABI, a message beside the code.
    public func errorNamesTheInput(_ error: any Error) -> Bool {
        switch self {
        case .layers: "\(error)".contains("--layers")
        case .augment: "\(error)".contains("--augment")
        case .cSpec, .cState: (error as? CFunctionFailure).map { !$0.message.isEmpty } ?? false
        default: "\(error)".contains(inputFileName)
        }
    }

    /// Feeds `bytes` to this target's reader. Returns the error the reader threw, if any.
    @discardableResult
    public func run(_ bytes: UnsafeBufferPointer<UInt8>) -> (any Error)? {
        do {
            switch self {
            case .layers: try Self.buildNetwork(String(decoding: bytes, as: UTF8.self))
            case .augment: try Self.augment(String(decoding: bytes, as: UTF8.self))
            case .imdb: try Self.readReviews(bytes, folder: Self.scratch.appendingPathComponent(inputFileName))
            case .cSpec: try Self.createAndStep(bytes)
            case .cState: try Self.restoreAndStep(bytes)
            default:
                let path = Self.scratch.appendingPathComponent(inputFileName).path
                try Data(buffer: bytes).write(to: URL(fileURLWithPath: path))
                try read(path)
            }
            return nil
        } catch {
            return error
        }
    }

    /// Feeds the bytes of `data`.
    @discardableResult
    public func run(_ data: Data) -> (any Error)? {
        [UInt8](data).withUnsafeBufferPointer { run($0) }
    }

    private func read(_ path: String) throws {
        switch self {
        case .idx, .idxGzip:
            // One of the two must throw: no file is both an idx3 and an idx1 file.
            let images = Result { try IDX.readImages(at: path) }
            let labels = Result { try IDX.readLabels(at: path, classCount: 10) }
            if case .failure(let error) = images, case .failure = labels { throw error }
        case .csv:
            _ = try CSVReader.standard.read(path)
            _ = try CSVReader(labelColumn: .index(0), header: .present, targets: .regression).read(path)
        case .cifar:
            _ = try CIFAR10.readBatch(at: path)
        case .checkpoint:
            let sgd = try SGD(learningRate: 0.05, momentum: 0.9)
            let trainer = try Trainer(sgd, on: try Self.checkpointProblem(), configuration: Self.checkpointRun(checkpoint: nil))
            _ = try trainer.resume(from: URL(fileURLWithPath: path))
        case .weights:
            _ = try WeightsFile.read(path)
        case .npy:
            _ = try WeightsFile.readNumPy(path)
        case .specYAML, .specJSON:
            let spec = try ExperimentSpec.load(path: path)
            try spec.validate(with: OptimizerRegistry.standard)
        case .layers, .augment, .imdb, .cSpec, .cState:
            break
        }
    }

    /// A folder of this process's own for the input files.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("weightlab-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The checkpoint target's problem: a 2-8-3 network with batch norm and dropout on 30
    /// samples in three blobs, in batches of 8.
    public static func checkpointProblem() throws -> Problem {
        var rng = RandomStream(seed: 7)
        var features: [Float] = []
        var labels: [Int32] = []
        for _ in 0..<10 {
            for (label, center) in [(-2, 0), (2, 0), (0, 2.5)].enumerated() {
                features += [Float(center.0) + rng.normal(), Float(center.1) + rng.normal()]
                labels.append(Int32(label))
            }
        }
        let network = try Network.perceptron(inputs: 2, hidden: [8], outputs: 3, dropout: 0.25, batchNorm: true)
        let training = Samples(features: features, featureCount: 2, labels: labels)
        return try Problem(objective: NetworkObjective(network: network), training: training, batchSize: 8, rng: RandomStream(seed: 11)) { rng in
            network.initialWeights(.heNormal, rng: &rng)
        }
    }

    /// The checkpoint target's run: 12 steps, a row every 2.
    public static func checkpointRun(checkpoint: CheckpointPolicy?) -> RunConfiguration {
        RunConfiguration(stopping: [.steps(12)], recording: .steps(2), checkpoint: checkpoint, seed: 3)
    }

    /// Writes the seeds that only WeightLab's writers can make: checkpoints of the checkpoint
    /// target's run (after 4 steps and at its end), a weights file of its network, and C ABI
    /// states (`writeStateSeeds`).
    public static func writeSeeds(into corpus: URL) throws {
        let sgd = try SGD(learningRate: 0.05, momentum: 0.9)
        let checkpoints = corpus.appendingPathComponent(FuzzHarness.checkpoint.rawValue)
        for steps in [4, 12] {
            var run = checkpointRun(checkpoint: CheckpointPolicy(url: checkpoints.appendingPathComponent("after-\(steps)-steps.json"), everySteps: 100))
            run.stopping = [.steps(steps)]
            _ = try Trainer(sgd, on: try checkpointProblem(), configuration: run).run()
        }
        let network = try Network.perceptron(inputs: 2, hidden: [8], outputs: 3, dropout: 0.25, batchNorm: true)
        var rng = RandomStream(seed: 5)
        let weights = network.initialWeights(.heNormal, rng: &rng)
        try WeightsFile.write(weights, of: network, to: corpus.appendingPathComponent(FuzzHarness.weights.rawValue).appendingPathComponent("2-8-3.weights").path)
        try writeStateSeeds(into: corpus.appendingPathComponent(FuzzHarness.cState.rawValue))
    }
}
