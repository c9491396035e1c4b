import Foundation

/// An elementwise nonlinearity. Every form is numerically stable for |x| up to 100 and beyond:
/// no intermediate `exp` of a large positive number is ever formed.
public enum Activation: Sendable, Equatable, Codable, CustomStringConvertible {
    /// σ(x) = 1 / (1 + e⁻ˣ).
    case sigmoid
    /// tanh(x).
    case tanh
    /// max(0, x) (Nair & Hinton, 2010).
    case relu
    /// x for x > 0, else slope·x (Maas et al., 2013).
    case leakyReLU(slope: Float)
    /// x for x > 0, else α(eˣ − 1) (Clevert et al., 2016).
    case elu(alpha: Float)
    /// x for x > 0, else aⱼ·x with a learnable slope aⱼ per unit, stored in the parameter
    /// buffer and starting at `initialSlope` (He et al., 2015; PyTorch's default 0.25).
    case prelu(initialSlope: Float)
    /// Swish / SiLU: x·σ(βx) (Ramachandran et al., 2017; β = 1 is SiLU).
    case swish(beta: Float)
    /// GELU, exact: x·Φ(x) = ½x(1 + erf(x/√2)) (Hendrycks & Gimpel, 2016).
    case gelu
    /// GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
    case geluTanh

    /// The names accepted by `init(parsing:)`.
    public static let names = ["sigmoid", "tanh", "relu", "leaky-relu", "elu", "prelu", "swish", "silu", "gelu", "gelu-tanh"]

    /// Parses `relu`, `leaky-relu`, `leaky-relu:0.2`, `elu:1.0`, `prelu`, `swish:1.5`, `gelu`, ...
    public init(parsing text: String) throws {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        var argument: Float? = nil
        if parts.count == 2 {
            guard let value = Float(parts[1]), value.isFinite else {
                throw WeightLabError(.parameter, "activation '\(text)': '\(parts[1])' is not a number")
            }
            argument = value
        }
        switch name {
        case "sigmoid": self = .sigmoid
        case "tanh": self = .tanh
        case "relu": self = .relu
        case "leaky-relu", "leakyrelu", "leaky_relu": self = .leakyReLU(slope: argument ?? 0.01)
        case "elu": self = .elu(alpha: argument ?? 1)
        case "prelu": self = .prelu(initialSlope: argument ?? 0.25)
        case "swish": self = .swish(beta: argument ?? 1)
        case "silu": self = .swish(beta: 1)
        case "gelu": self = .gelu
        case "gelu-tanh", "gelu_tanh": self = .geluTanh
        default:
            throw WeightLabError(.parameter, "unknown activation '\(text)'; known: \(Activation.names.joined(separator: ", "))")
        }
        if parts.count == 2, ["sigmoid", "tanh", "relu", "gelu", "gelu-tanh", "gelu_tanh", "silu"].contains(name) {
            throw WeightLabError(.parameter, "activation '\(name)' takes no parameter")
        }
    }

    public var description: String {
        switch self {
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .relu: "relu"
        case .leakyReLU(let s): "leaky-relu:\(s)"
        case .elu(let a): "elu:\(a)"
        case .prelu(let a): "prelu:\(a)"
        case .swish(let b): "swish:\(b)"
        case .gelu: "gelu"
        case .geluTanh: "gelu-tanh"
        }
    }

    /// Whether the activation has learnable parameters (one slope per unit).
    public var hasParameters: Bool {
        if case .prelu = self { return true }
        return false
    }

    /// y = f(x) for `count` values; `slopes` (one per unit of a row of `width`) only for PReLU.
    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, width: Int, slopes: UnsafePointer<Float>?) {
        switch self {
        case .sigmoid:
            for i in 0..<count { y[i] = stableSigmoid(x[i]) }
        case .tanh:
            for i in 0..<count { y[i] = Foundation.tanh(x[i]) }
        case .relu:
            for i in 0..<count { y[i] = max(x[i], 0) }
        case .leakyReLU(let slope):
            for i in 0..<count { y[i] = x[i] > 0 ? x[i] : slope * x[i] }
        case .elu(let alpha):
            for i in 0..<count { y[i] = x[i] > 0 ? x[i] : alpha * Foundation.expm1(x[i]) }
        case .prelu:
            guard let a = slopes else { return }
            var i = 0
            while i < count {
                for j in 0..<width { let v = x[i + j]; y[i + j] = v > 0 ? v : a[j] * v }
                i += width
            }
        case .swish(let beta):
            for i in 0..<count { y[i] = x[i] * stableSigmoid(beta * x[i]) }
        case .gelu:
            for i in 0..<count { y[i] = 0.5 * x[i] * (1 + Foundation.erf(x[i] * 0.70710678)) }
        case .geluTanh:
            for i in 0..<count {
                let v = x[i]
                y[i] = 0.5 * v * (1 + Foundation.tanh(0.7978845608 * (v + 0.044715 * v * v * v)))
            }
        }
    }

    /// dy ← dy · f′(x) in place (∂L/∂output becomes ∂L/∂input), given the input x and output y
    /// of the forward pass. For PReLU also accumulates ∂L/∂aⱼ = Σ dy·x over x ≤ 0 into
    /// `slopeGradient`. In place, and with dy loaded before the select, the loops vectorize
    /// (a select between a load and 0, or two distinct pointers that may be equal, keeps them scalar).
    func backward(
        _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
        count: Int, width: Int, slopes: UnsafePointer<Float>?, slopeGradient: UnsafeMutablePointer<Float>?
    ) {
        switch self {
        case .sigmoid:
            for i in 0..<count { dy[i] = dy[i] * y[i] * (1 - y[i]) }
        case .tanh:
            for i in 0..<count { dy[i] *= 1 - y[i] * y[i] }
        case .relu:
            for i in 0..<count { let d = dy[i]; dy[i] = x[i] > 0 ? d : 0 }
        case .leakyReLU(let slope):
            for i in 0..<count { let d = dy[i]; dy[i] = x[i] > 0 ? d : slope * d }
        case .elu(let alpha):
            for i in 0..<count { let d = dy[i]; dy[i] = x[i] > 0 ? d : d * (y[i] + alpha) }
        case .prelu:
            guard let a = slopes, let da = slopeGradient else { return }
            var i = 0
            while i < count {
                for j in 0..<width {
                    let v = x[i + j]
                    if v > 0 { continue }
                    da[j] += dy[i + j] * v
                    dy[i + j] *= a[j]
                }
                i += width
            }
        case .swish(let beta):
            for i in 0..<count {
                let s = stableSigmoid(beta * x[i])
                dy[i] *= s + beta * x[i] * s * (1 - s)
            }
        case .gelu:
            for i in 0..<count {
                let v = x[i]
                let cdf = 0.5 * (1 + Foundation.erf(v * 0.70710678))
                let pdf = 0.39894228 * Foundation.exp(-0.5 * v * v)
                dy[i] *= cdf + v * pdf
            }
        case .geluTanh:
            for i in 0..<count {
                let v = x[i]
                let inner = 0.7978845608 * (v + 0.044715 * v * v * v)
                let t = Foundation.tanh(inner)
                let dInner = 0.7978845608 * (1 + 3 * 0.044715 * v * v)
                dy[i] *= 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * dInner
            }
        }
    }
}

/// σ(x) without overflow: e⁻ˣ is formed only for x ≥ 0 and eˣ only for x < 0.
@inline(__always)
public func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 {
        return 1 / (1 + Foundation.exp(-x))
    }
    let e = Foundation.exp(x)
    return e / (1 + e)
}
