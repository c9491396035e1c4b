import WeightLab

/// The network every run of a variant trains (the `network` field): a perceptron whose input
/// and output widths come from the data set.
///
/// ```yaml
/// network: {hidden: [128], activation: relu, initializer: he, l1: 0, l2: 1e-4, dropout: 0.2, batchNorm: false}
/// ```
public struct NetworkSpec: Sendable, Equatable {
    public var hidden: [Int]
    public var activation: Activation
    public var initializer: Initializer
    public var regularizer: Regularizer
    public var dropout: Float
    public var batchNorm: Bool

    init(_ reader: FieldReader?) throws {
        guard let reader else {
            self.hidden = [128]
            self.activation = .relu
            self.initializer = .heNormal
            self.regularizer = .none
            self.dropout = 0
            self.batchNorm = false
            return
        }
        if let items = try reader.list("hidden") {
            hidden = try items.enumerated().map { index, item in
                guard case .number(let width) = item, width == width.rounded(), width >= 1, width <= 1_000_000 else {
                    throw reader.source.error(at: reader.path(of: "hidden") + "[\(index)]", "expected a layer width (a whole number ≥ 1), got \(item)")
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
        try reader.finish()
    }

    private static func parse<T>(_ reader: FieldReader, _ key: String, default value: T, names: [String], _ make: (String) throws -> T) throws -> T {
        guard let text = try reader.string(key) else { return value }
        do {
            return try make(text)
        } catch {
            throw reader.error(key, "'\(text)' is not known: expected one of \(names.joined(separator: ", "))")
        }
    }

    /// The network for a data set with `inputs` features and `outputs` classes.
    public func network(inputs: Int, outputs: Int) throws -> Network {
        try Network.perceptron(inputs: inputs, hidden: hidden, outputs: outputs, activation: activation, dropout: dropout, batchNorm: batchNorm)
    }
}
