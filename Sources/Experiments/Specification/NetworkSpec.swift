import WeightLab

/// The network every run of a variant trains (the `network` field): a perceptron whose input
/// and output widths come from the data set, or the layers written in `layers` (the grammar of
/// `--layers`, as one string or a list of items), and the augmentation of its training batches.
///
/// ```yaml
/// network: {hidden: [128], activation: relu, initializer: he, l1: 0, l2: 1e-4, dropout: 0.2, batchNorm: false}
/// network: {layers: "conv(32, 3, padding: 1), relu, maxpool(2), dense(128), relu", augment: "crop(2), flip"}
/// ```
public struct NetworkSpec: Sendable, Equatable {
    /// The hidden layers as written in `layers`; when set, `hidden`, `activation`, `dropout` and
    /// `batchNorm` are not used (and may not be given).
    public var layers: LayerGrammar?
    /// The transforms of every training mini-batch (`augment`), nil for none.
    public var augmentation: Augmentation?
    /// Whether population methods' fitness batches are augmented too (`augmentFitness`).
    public var augmentsFitness: Bool
    public var hidden: [Int]
    public var activation: Activation
    public var initializer: Initializer
    public var regularizer: Regularizer
    public var dropout: Float
    public var batchNorm: Bool

    init(_ reader: ParameterReader?) throws {
        guard let reader else {
            self.hidden = [128]
            self.activation = .relu
            self.initializer = .heNormal
            self.regularizer = .none
            self.dropout = 0
            self.batchNorm = false
            self.layers = nil
            self.augmentation = nil
            self.augmentsFitness = false
            return
        }
        layers = try Self.items(reader, "layers") { try LayerGrammar(items: $0, context: reader.path(of: "layers")) }
        augmentation = try Self.items(reader, "augment") { try Augmentation(items: $0, context: reader.path(of: "augment")) }
        augmentsFitness = try reader.bool("augmentFitness") ?? false
        if layers != nil, let clash = ["hidden", "activation", "dropout", "batchNorm"].first(where: reader.has) {
            throw reader.error(clash, "not used with network.layers: write the layers there")
        }
        if let items = try reader.list("hidden") {
            hidden = try items.enumerated().map { index, item in
                guard case .number(let width) = item, width == width.rounded(), width >= 1, width <= 1_000_000 else {
                    throw reader.error(at: reader.path(of: "hidden") + "[\(index)]", "expected a layer width (a whole number ≥ 1), got \(item)")
                }
                return Int(width)
            }
        } else {
            hidden = [128]
        }
        activation = try Self.parse(reader, "activation", default: .relu, names: Activation.names, Activation.init(parsing:))
        initializer = try Self.parse(reader, "initializer", default: .heNormal, names: Initializer.names, Initializer.init(parsing:))
        let l1 = try reader.number("l1", in: 0...1e6) ?? 0
        let l2 = try reader.number("l2", in: 0...1e6) ?? 0
        regularizer = try Regularizer(l1: Float(l1), l2: Float(l2))
        dropout = Float(try reader.number("dropout", in: 0...0.95) ?? 0)
        batchNorm = try reader.bool("batchNorm") ?? false
        try reader.finishFields()
    }

    /// A field written as one comma-separated string or as a list of item strings.
    private static func items<T>(_ reader: ParameterReader, _ key: String, _ make: ([String]) throws -> T) throws -> T? {
        guard let value = reader.raw(key) else { return nil }
        let items: [String]
        switch value {
        case .string:
            guard let text = try reader.string(key) else { return nil }
            items = LayerGrammar.splitItems(text)
        case .list:
            items = try (reader.list(key) ?? []).enumerated().map { index, item in
                guard case .string(let text) = item else {
                    throw reader.error(at: reader.path(of: key) + "[\(index)]", "expected an item such as 'relu' or 'maxpool(2)', got \(item)")
                }
                return text
            }
        default:
            throw reader.error(key, "expected a string of comma-separated items or a list of them, got \(value)")
        }
        do {
            return try make(items)
        } catch let error as WeightLabError {
            // The message starts with the field's path (the parsers' context): add the file and line.
            throw WeightLabError(.specification, "\(reader.location(of: reader.path(of: key))): \(error.message)")
        }
    }

    private static func parse<T>(_ reader: ParameterReader, _ key: String, default value: T, names: [String], _ make: (String) throws -> T) throws -> T {
        guard let text = try reader.string(key) else { return value }
        do {
            return try make(text)
        } catch {
            throw reader.error(key, "'\(text)' is not known: expected one of \(names.joined(separator: ", "))")
        }
    }

    /// The network for a data set with `inputs` features (images of `imageShape` when given) and
    /// `outputs` classes.
    public func network(inputs: Int, imageShape: ImageShape? = nil, outputs: Int) throws -> Network {
        if let layers { return try layers.network(inputWidth: inputs, imageShape: imageShape, outputs: outputs) }
        return try Network.perceptron(inputs: inputs, hidden: hidden, outputs: outputs, activation: activation, dropout: dropout, batchNorm: batchNorm)
    }

    /// The augmentation of `dataset`'s training batches, nil without `augment`; an error when
    /// the data set's samples are not images.
    public func augmentation(for dataset: Dataset) throws -> TrainingAugmentation? {
        guard let augmentation else { return nil }
        guard let shape = dataset.imageShape else {
            throw WeightLabError(.specification, "network.augment transforms images, but the samples of '\(dataset.name)' are flat vectors of \(dataset.featureCount) features")
        }
        return TrainingAugmentation(augmentation, shape: shape, appliesToFitness: augmentsFitness)
    }
}
