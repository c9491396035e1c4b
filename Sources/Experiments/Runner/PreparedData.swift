import Synchronization
import WeightLab

/// The data sets an experiment's variants train on, loaded and prepared once (before the
/// first run) and shared read-only by every run.
///
/// Preparation, in order, every draw from the spec's data seed: load the set (`Dataset.named`;
/// the fallback when the first one's files are missing), draw the stratified training subset,
/// hold out the validation share of what remains for training (unless the set has its own
/// validation split), draw the test subset, and rescale features with training statistics.
final class PreparedData: Sendable {
    private let cache = Mutex<[DatasetSpec: (dataset: Dataset, note: String?)]>([:])

    /// Loads every data set `variants` name; returns notes for the user (fallbacks taken).
    func prepare(_ variants: [Variant]) throws -> [String] {
        var notes: [String] = []
        for spec in Set(variants.map(\.dataset)) where cache.withLock({ $0[spec] == nil }) {
            let prepared = try Self.load(spec)
            cache.withLock { $0[spec] = prepared }
            if let note = prepared.note { notes.append(note) }
        }
        return notes
    }

    /// The prepared data set of `spec`, loading it if `prepare` did not.
    func dataset(_ spec: DatasetSpec) throws -> Dataset {
        if let cached = cache.withLock({ $0[spec] }) { return cached.dataset }
        let prepared = try Self.load(spec)
        cache.withLock { $0[spec] = prepared }
        return prepared.dataset
    }

    private static func load(_ spec: DatasetSpec) throws -> (dataset: Dataset, note: String?) {
        let rng = RandomStream(seed: spec.seed)
        var note: String?
        var dataset: Dataset
        do {
            dataset = try Dataset.named(spec.loaderName, syntheticCount: spec.samples, rng: rng.split(0))
        } catch let error as WeightLabError where error.kind == .io && spec.fallback != nil {
            let fallback = spec.fallback ?? "digits"
            note = "\(spec.name) could not be read (\(error.message)); using \(fallback) instead"
            dataset = try Dataset.named(fallback, syntheticCount: spec.samples, rng: rng.split(0))
        }
        if let size = spec.trainSubset, size < dataset.train.count {
            dataset.train = try dataset.train.stratifiedSubset(size: size, rng: rng.split(1))
        }
        if dataset.validation.count == 0 && spec.validation > 0 {
            dataset = try dataset.holdingOutValidation(fraction: spec.validation, rng: rng.split(2))
        }
        if let size = spec.testSubset, size < dataset.test.count {
            dataset.test = try dataset.test.stratifiedSubset(size: size, rng: rng.split(3))
        }
        switch spec.scaling {
        case "standardize": dataset = try dataset.scaled(by: Standardizer.self).dataset
        case "min-max": dataset = try dataset.scaled(by: MinMaxScaler.self).dataset
        default: break
        }
        guard dataset.test.count > 0 else {
            throw WeightLabError(.data, "data set '\(dataset.name)' has no test samples to report on")
        }
        return (dataset, note)
    }
}

extension Dataset {
    /// "digits: 1,150 training / 287 validation / 360 test samples".
    var sizes: String {
        "\(name): \(train.count) training / \(validation.count) validation / \(test.count) test samples"
    }
}
