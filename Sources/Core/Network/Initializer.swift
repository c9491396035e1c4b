/// How a dense layer's weights are drawn; biases always start at zero.
/// `fanIn` and `fanOut` are the layer's input and output widths.
public enum Initializer: Sendable, Equatable, Codable, CustomStringConvertible {
    /// U(−scale, scale).
    case uniform(scale: Float)
    /// N(0, standardDeviation²).
    case normal(standardDeviation: Float)
    /// Glorot & Bengio (2010): U(−a, a), a = √(6 / (fanIn + fanOut)).
    case xavierUniform
    /// Glorot & Bengio (2010): N(0, 2 / (fanIn + fanOut)).
    case xavierNormal
    /// He et al. (2015): U(−a, a), a = √(6 / fanIn).
    case heUniform
    /// He et al. (2015): N(0, 2 / fanIn).
    case heNormal
    /// LeCun et al. (1998): N(0, 1 / fanIn).
    case lecunNormal

    /// The names accepted by `init(parsing:)`.
    public static let names = ["uniform[:SCALE]", "normal[:STD]", "xavier-uniform", "xavier-normal", "he-uniform", "he-normal", "lecun-normal"]

    /// Parses `he-normal`, `xavier` (uniform), `he` (normal), `uniform:0.05`, `normal:0.01`, `random` (normal:0.01), ...
    public init(parsing text: String) throws {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        var argument: Float? = nil
        if parts.count == 2 {
            guard let value = Float(parts[1]), value.isFinite, value > 0 else {
                throw WeightLabError(.parameter, "initializer '\(text)': '\(parts[1])' is not a positive number")
            }
            argument = value
        }
        switch parts.first ?? "" {
        case "uniform": self = .uniform(scale: argument ?? 0.05)
        case "normal", "random": self = .normal(standardDeviation: argument ?? 0.01)
        case "xavier", "xavier-uniform", "glorot", "glorot-uniform": self = .xavierUniform
        case "xavier-normal", "glorot-normal": self = .xavierNormal
        case "he-uniform", "kaiming-uniform": self = .heUniform
        case "he", "he-normal", "kaiming", "kaiming-normal": self = .heNormal
        case "lecun", "lecun-normal": self = .lecunNormal
        default:
            throw WeightLabError(.parameter, "unknown initializer '\(text)'; known: \(Initializer.names.joined(separator: ", "))")
        }
    }

    public var description: String {
        switch self {
        case .uniform(let s): "uniform:\(s)"
        case .normal(let s): "normal:\(s)"
        case .xavierUniform: "xavier-uniform"
        case .xavierNormal: "xavier-normal"
        case .heUniform: "he-uniform"
        case .heNormal: "he-normal"
        case .lecunNormal: "lecun-normal"
        }
    }

    /// The standard deviation of the weights it draws for a layer with the given fan-in and
    /// fan-out (a/√3 for U(−a, a)): the scale of that layer's weights.
    public func standardDeviation(fanIn: Int, fanOut: Int) -> Float {
        let fin = Float(fanIn)
        let fout = Float(fanOut)
        switch self {
        case .uniform(let scale): return scale / Float(3).squareRoot()
        case .normal(let sd): return sd
        case .xavierUniform, .xavierNormal: return (2 / (fin + fout)).squareRoot()
        case .heUniform, .heNormal: return (2 / fin).squareRoot()
        case .lecunNormal: return (1 / fin).squareRoot()
        }
    }

    /// Fills `weights` for a layer with the given fan-in and fan-out.
    public func fill(_ weights: UnsafeMutableBufferPointer<Float>, fanIn: Int, fanOut: Int, rng: inout RandomStream) {
        let fin = Float(fanIn)
        let fout = Float(fanOut)
        switch self {
        case .uniform(let scale): rng.fillUniform(weights, lower: -scale, upper: scale)
        case .normal(let sd): rng.fillNormal(weights, standardDeviation: sd)
        case .xavierUniform:
            let a = (6 / (fin + fout)).squareRoot()
            rng.fillUniform(weights, lower: -a, upper: a)
        case .xavierNormal: rng.fillNormal(weights, standardDeviation: (2 / (fin + fout)).squareRoot())
        case .heUniform:
            let a = (6 / fin).squareRoot()
            rng.fillUniform(weights, lower: -a, upper: a)
        case .heNormal: rng.fillNormal(weights, standardDeviation: (2 / fin).squareRoot())
        case .lecunNormal: rng.fillNormal(weights, standardDeviation: (1 / fin).squareRoot())
        }
    }
}
