/// A named data set: training, validation and test `Samples` with the same features, and what
/// the features and labels mean.
///
/// Loaders build one (`Dataset.fashionMNIST()`, `.csv(train:)`, `.cifar10(directory:)`,
/// `.digits()`, `.synthetic(_:)`); preparation returns new ones (`holdingOutValidation`,
/// `scaled(by:)`). Samples are copy-on-write, so passing a data set around copies nothing.
public struct Dataset: Sendable, Equatable {
    /// A short name for reports ("fashion-mnist", "digits", a file name).
    public var name: String
    /// The samples optimizers train on.
    public var train: Samples
    /// Samples held out from training for early stopping and model choice; may be empty.
    public var validation: Samples
    /// The samples results are reported on.
    public var test: Samples
    /// The number of classes, labels being 0 ..< classCount; nil for regression.
    public var classCount: Int?
    /// The shape of one sample's features, outermost first: [28, 28] for Fashion-MNIST,
    /// [32, 32, 3] (row, column, channel: channels-last) for CIFAR-10, [d] for a table.
    public var featureShape: [Int]
    /// Names of the classes when the data set defines them, indexed by label.
    public var classNames: [String]?

    /// A data set from its parts, checked for consistency: every split has
    /// `featureShape`'s product as feature count, classification splits carry labels in
    /// 0 ..< `classCount`, regression splits (nil `classCount`) carry targets of one width.
    public init(
        name: String, train: Samples, validation: Samples = .empty, test: Samples,
        classCount: Int?, featureShape: [Int], classNames: [String]? = nil
    ) throws {
        self.name = name
        self.train = train
        self.validation = validation
        self.test = test
        self.classCount = classCount
        self.featureShape = featureShape
        self.classNames = classNames
        try validateShapes()
    }

    /// Features per sample: the product of `featureShape`.
    public var featureCount: Int { featureShape.reduce(1, *) }

    /// The image each sample is, when the features are one: [h, w] is h×w×1 and [h, w, c] is
    /// h×w×c channels-last; nil for a table ([d]).
    public var imageShape: ImageShape? {
        switch featureShape.count {
        case 2: ImageShape(height: featureShape[0], width: featureShape[1], channels: 1)
        case 3: ImageShape(height: featureShape[0], width: featureShape[1], channels: featureShape[2])
        default: nil
        }
    }

    /// True when the labels are classes.
    public var isClassification: Bool { classCount != nil }

    /// The training, validation and test splits with their names, for checks and reports.
    public var splits: [(name: String, samples: Samples)] {
        [("train", train), ("validation", validation), ("test", test)]
    }

    private func validateShapes() throws {
        guard !featureShape.isEmpty, featureShape.allSatisfy({ $0 > 0 }) else {
            throw WeightLabError(.shape, "data set '\(name)': feature shape \(featureShape) must be non-empty with positive sizes")
        }
        guard train.count > 0 else {
            throw WeightLabError(.data, "data set '\(name)': the training split is empty")
        }
        if let classCount {
            try validateCount("classCount of data set '\(name)'", classCount, atLeast: 1)
            if let classNames, classNames.count != classCount {
                throw WeightLabError.shape("data set '\(name)': class names", expected: classCount, actual: classNames.count)
            }
        }
        for (split, samples) in splits where samples.count > 0 {
            guard samples.featureCount == featureCount, samples.features.count == samples.count * featureCount else {
                throw WeightLabError.shape("data set '\(name)': \(split) features per sample", expected: featureCount, actual: samples.featureCount)
            }
            if let classCount {
                guard samples.isClassification, samples.labels.count == samples.count else {
                    throw WeightLabError(.data, "data set '\(name)': the \(split) split must carry one class label per sample")
                }
                if let bad = samples.labels.first(where: { $0 < 0 || Int($0) >= classCount }) {
                    throw WeightLabError(.data, "data set '\(name)': \(split) label \(bad) is outside 0..<\(classCount)")
                }
            } else {
                guard !samples.isClassification, samples.targets.count == samples.count * samples.targetWidth,
                    samples.targetWidth == train.targetWidth
                else {
                    throw WeightLabError(.data, "data set '\(name)': a regression data set (no class count) needs the same number of regression targets per sample in every split; the \(split) split differs")
                }
            }
        }
    }
}
