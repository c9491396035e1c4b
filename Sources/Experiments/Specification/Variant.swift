import Foundation
import WeightLab

/// One arm of an experiment, fully resolved: the base settings with the variant's and the
/// grid's values laid over them. Every seed of the experiment runs every variant.
public struct Variant: Sendable {
    /// The keys a variant can set (in the base, in `variants` items, in `grid` paths).
    public static let settingKeys = [
        "dataset", "network", "optimizer", "batchSize", "fullBatch", "budget", "stopping", "trace", "fitness", "threads",
        "measureTrainingLoss",
    ]

    /// The name tables, plots and files use.
    public var name: String
    public var dataset: DatasetSpec
    public var network: NetworkSpec
    public var optimizer: OptimizerSpec
    /// Samples per mini-batch for stochastic gradient methods.
    public var batchSize: Int
    /// The most training samples full-batch methods (line searches, `gd`) evaluate: a fixed
    /// subset of this size; nil for the whole training set.
    public var fullBatch: Int?
    public var budget: Budget
    public var stopping: StoppingSpec
    public var trace: TraceInterval
    public var fitness: FitnessSpec
    /// BLAS threads for this variant's runs (needs `--jobs 1`); nil for the runner's choice.
    public var threads: Int?
    /// Whether every trace row measures the loss on the whole training set (a forward pass over
    /// it, not charged); otherwise the row's training loss is the mean loss the steps reported.
    public var measureTrainingLoss: Bool
    /// The resolved settings, as written in `experiment.json`.
    public var configuration: SpecValue
    /// Changes whenever any setting changes: a saved run whose fingerprint differs is stale.
    public var fingerprint: String
    /// Where each resolved value was written, for errors found later (by the registry).
    public var origins: SpecOrigins

    init(name: String, configuration: SpecValue, origins: SpecOrigins, source: SpecSource) throws {
        self.name = name
        self.configuration = configuration
        self.origins = origins
        let reader = try ParameterReader(configuration, path: "", source: source, origins: origins)
        guard let datasetReader = try reader.object("dataset") else {
            throw reader.error("dataset", "missing: the data set, e.g. {name: digits}")
        }
        dataset = try DatasetSpec(datasetReader)
        network = try NetworkSpec(try reader.object("network"))
        guard let optimizerValue = reader.raw("optimizer") else {
            throw reader.error("optimizer", "missing: the optimizer, e.g. {optimizer: adam, learningRate: 0.001}, in the base settings or in every variant")
        }
        do {
            optimizer = try OptimizerSpec(optimizerValue, path: "optimizer")
        } catch {
            throw source.locate(error, origins: origins)
        }
        batchSize = try reader.integer("batchSize", atLeast: 1) ?? 64
        fullBatch = try reader.integer("fullBatch", atLeast: 1)
        guard let budgetReader = try reader.object("budget") else {
            throw reader.error("budget", "missing: the budget, e.g. {units: 1e7} or {epochs: 5}, so that every run ends")
        }
        budget = try Budget(budgetReader)
        stopping = try StoppingSpec(try reader.object("stopping"))
        trace = try TraceInterval(try reader.object("trace"))
        fitness = try FitnessSpec(reader.raw("fitness"), reader: reader)
        threads = try reader.integer("threads", atLeast: 1)
        measureTrainingLoss = try reader.bool("measureTrainingLoss") ?? false
        try reader.finishFields()
        do {
            // Written layers are checked against the data set's shape when it is loaded.
            if network.layers == nil { _ = try network.network(inputs: 2, outputs: 2) }
        } catch {
            throw source.error(at: origins.origin(of: "network"), "\(error)")
        }
        fingerprint = Fingerprint.of(configuration)
    }
}

/// A short, stable digest of a value (FNV-1a 64 over its canonical JSON): equal settings give
/// equal fingerprints on every machine.
enum Fingerprint {
    static func of(_ value: SpecValue) -> String {
        let bytes = ((try? value.jsonText()) ?? value.description).utf8
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
