/// A set of samples in memory: one row of `featureCount` Float32 features per sample, and
/// either a class label (classification) or `targetWidth` real targets (regression) per sample.
///
/// This is what an `Objective` prices weights on: a mini-batch, an evaluation subset and a
/// whole split are all `Samples`. Storage is copy-on-write arrays, so passing one around,
/// or taking the whole training set as a "batch", copies nothing.
public struct Samples: Sendable, Equatable {
    /// Row-major features, `count × featureCount`.
    public var features: [Float]
    /// Features per sample.
    public var featureCount: Int
    /// Class labels in 0..<classCount, one per sample; empty for regression.
    public var labels: [Int32]
    /// Regression targets, row-major `count × targetWidth`; empty for classification.
    public var targets: [Float]
    /// Targets per sample for regression; 0 for classification.
    public var targetWidth: Int

    /// Classification samples.
    public init(features: [Float], featureCount: Int, labels: [Int32]) {
        self.features = features
        self.featureCount = featureCount
        self.labels = labels
        self.targets = []
        self.targetWidth = 0
    }

    /// Regression samples.
    public init(features: [Float], featureCount: Int, targets: [Float], targetWidth: Int) {
        self.features = features
        self.featureCount = featureCount
        self.labels = []
        self.targets = targets
        self.targetWidth = targetWidth
    }

    /// No samples: the "batch" analytic functions are priced on.
    public static let empty = Samples(features: [], featureCount: 0, labels: [])

    /// The number of samples.
    public var count: Int {
        featureCount > 0 ? features.count / featureCount : max(labels.count, targetWidth > 0 ? targets.count / targetWidth : 0)
    }

    /// True when samples carry class labels.
    public var isClassification: Bool { targetWidth == 0 }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: some Collection<Int>) -> Samples {
        var result = self
        result.features = []
        result.labels = []
        result.targets = []
        result.replace(with: self, rows: indices)
        return result
    }

    /// Overwrites this value with the rows of `source` at `indices`, reusing this value's
    /// storage: a mini-batch loop that calls it with same-sized batches allocates nothing.
    public mutating func replace(with source: Samples, rows indices: some Collection<Int>) {
        featureCount = source.featureCount
        targetWidth = source.targetWidth
        let n = indices.count
        let d = featureCount
        if features.count != n * d { features = [Float](repeating: 0, count: n * d) }
        let hasLabels = !source.labels.isEmpty
        if labels.count != (hasLabels ? n : 0) { labels = [Int32](repeating: 0, count: hasLabels ? n : 0) }
        let w = targetWidth
        if targets.count != n * w { targets = [Float](repeating: 0, count: n * w) }
        if n * d > 0 {
            features.withUnsafeMutableBufferPointer { dst in
                source.features.withUnsafeBufferPointer { src in
                    for (row, i) in indices.enumerated() {
                        (dst.baseAddress! + row * d).update(from: src.baseAddress! + i * d, count: d)
                    }
                }
            }
        }
        if hasLabels {
            for (row, i) in indices.enumerated() { labels[row] = source.labels[i] }
        }
        if w > 0 {
            for (row, i) in indices.enumerated() {
                for j in 0..<w { targets[row * w + j] = source.targets[i * w + j] }
            }
        }
    }
}
