import Foundation
import WeightLab

/// What a results directory holds the runs of (`experiment.json`): enough to rebuild every
/// table and plot from the saved runs, and to tell whether a saved run is still current.
/// Shards of one experiment write equal manifests; `weightlab merge` checks that they do.
public struct ExperimentManifest: ResultsFile, Sendable, Equatable {
    /// One variant: its name, fingerprint, a one-line description and its resolved settings.
    public struct Entry: Codable, Sendable, Equatable {
        public var name: String
        public var fingerprint: String
        public var setup: String
        public var configuration: SpecValue
    }

    public var name: String
    public var description: String?
    public var survey: String?
    /// The spec file the experiment was read from.
    public var specFile: String
    public var quick: Bool
    public var seeds: [UInt64]
    public var variants: [Entry]
    public var metrics: [Metric]
    public var comparison: Comparison
    public var baseline: String?
    public var targetAccuracy: Double?

    public init(_ spec: ExperimentSpec) {
        name = spec.name
        description = spec.description
        survey = spec.survey
        specFile = spec.source.file
        quick = spec.quick
        seeds = spec.seeds
        variants = spec.variants.map { Entry(name: $0.name, fingerprint: $0.fingerprint, setup: $0.setup, configuration: $0.configuration) }
        metrics = spec.metrics
        comparison = spec.comparison
        baseline = spec.baseline
        targetAccuracy = spec.targetAccuracy
    }

    public static let fileKind = "an experiment manifest"
}

extension Variant {
    /// One line naming the settings: `adam(learningRate=0.001) · digits · 64-relu · batch 64 · 5 epochs`.
    public var setup: String {
        var parts = [optimizer.description, dataset.name + (dataset.trainSubset.map { " (\($0) training samples)" } ?? "")]
        if let layers = network.layers {
            parts.append(layers.layers.map(\.description).joined(separator: ", "))
        } else {
            parts.append((network.hidden.map(String.init) + [network.activation.description]).joined(separator: "-")
                + (network.batchNorm ? " + batch norm" : "") + (network.dropout > 0 ? " + dropout \(network.dropout)" : ""))
        }
        if let augmentation = network.augmentation { parts.append("augment \(augmentation)") }
        parts.append("batch \(batchSize)")
        var budget: [String] = []
        if let units = self.budget.units { budget.append("\(units) units") }
        if let epochs = self.budget.epochs { budget.append("\(SpecValue.number(epochs)) epochs") }
        if let seconds = self.budget.seconds { budget.append("\(SpecValue.number(seconds)) s") }
        if let steps = self.budget.steps { budget.append("\(steps) steps") }
        parts.append(budget.joined(separator: " or "))
        return parts.joined(separator: " · ")
    }
}
