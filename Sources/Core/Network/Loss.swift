import Foundation

/// The data term of a network's objective, computed from the last layer's raw outputs (logits).
/// Each is a mean over samples, as in PyTorch's default `reduction="mean"`.
public enum Loss: String, Sendable, Equatable, Codable, CaseIterable {
    /// −log softmax(z)_y, computed as logsumexp(z) − z_y (stable for any |z|); gradient softmax(z) − onehot(y).
    case softmaxCrossEntropy = "cross-entropy"
    /// (1/k) Σⱼ (zⱼ − tⱼ)²; gradient 2(z − t)/k.
    case meanSquaredError = "mse"
    /// (1/k) Σⱼ max(zⱼ, 0) − zⱼtⱼ + log(1 + e^−|zⱼ|); gradient (σ(z) − t)/k. Targets are the
    /// regression targets, or the 0/1 labels when the network has one output.
    case binaryCrossEntropy = "binary-cross-entropy"

    /// Throws unless `samples` carry what this loss needs for `outputs` network outputs.
    func check(_ samples: Samples, outputs: Int) throws {
        switch self {
        case .softmaxCrossEntropy:
            guard samples.isClassification else {
                throw WeightLabError(.data, "cross-entropy needs class labels, but the samples carry regression targets")
            }
            if let bad = samples.labels.first(where: { $0 < 0 || Int($0) >= outputs }) {
                throw WeightLabError(.data, "label \(bad) is outside 0..<\(outputs), the network's output width")
            }
        case .meanSquaredError:
            guard samples.targetWidth == outputs else {
                throw WeightLabError(.data, "mean squared error needs \(outputs) regression targets per sample, got \(samples.isClassification ? "class labels" : "\(samples.targetWidth)")")
            }
        case .binaryCrossEntropy:
            if samples.isClassification {
                guard outputs == 1 else {
                    throw WeightLabError(.data, "binary cross-entropy on class labels needs one network output, got \(outputs)")
                }
                if let bad = samples.labels.first(where: { $0 != 0 && $0 != 1 }) {
                    throw WeightLabError(.data, "binary cross-entropy needs labels 0 or 1, got \(bad)")
                }
            } else if samples.targetWidth != outputs {
                throw WeightLabError.shape("binary cross-entropy targets per sample", expected: outputs, actual: samples.targetWidth)
            }
        }
    }

    /// The sum of per-sample losses over `rows` rows of `logits` (samples `offset...` of
    /// `samples`), and how many were classified correctly. When `gradient` is given, writes
    /// scale·∂(per-sample loss)/∂logits there.
    func evaluate(
        logits z: UnsafePointer<Float>, rows: Int, width k: Int, samples: Samples, offset: Int,
        gradient: UnsafeMutablePointer<Float>?, scale: Float
    ) -> (lossSum: Double, correct: Int) {
        var total = 0.0
        var correct = 0
        switch self {
        case .softmaxCrossEntropy:
            samples.labels.withUnsafeBufferPointer { labels in
                for r in 0..<rows {
                    let row = z + r * k
                    let label = Int(labels[offset + r])
                    var best = 0
                    var m = row[0]
                    for j in 1..<max(k, 1) where row[j] > m { m = row[j]; best = j }
                    var sum: Float = 0
                    for j in 0..<k { sum += Foundation.exp(row[j] - m) }
                    let logSum = m + Foundation.log(sum)
                    total += Double(logSum - row[label])
                    if best == label { correct += 1 }
                    if let g = gradient.map({ $0 + r * k }) {
                        for j in 0..<k { g[j] = scale * Foundation.exp(row[j] - logSum) }
                        g[label] -= scale
                    }
                }
            }
        case .meanSquaredError:
            samples.targets.withUnsafeBufferPointer { t in
                let inverseK = 1 / Float(k)
                for r in 0..<rows {
                    var s: Float = 0
                    for j in 0..<k {
                        let d = z[r * k + j] - t[(offset + r) * k + j]
                        s += d * d
                        gradient?[r * k + j] = scale * 2 * d * inverseK
                    }
                    total += Double(s * inverseK)
                }
            }
        case .binaryCrossEntropy:
            let inverseK = 1 / Float(k)
            for r in 0..<rows {
                var s: Float = 0
                for j in 0..<k {
                    let x = z[r * k + j]
                    let t = samples.isClassification ? Float(samples.labels[offset + r]) : samples.targets[(offset + r) * k + j]
                    s += max(x, 0) - x * t + Foundation.log1p(Foundation.exp(-abs(x)))
                    gradient?[r * k + j] = scale * (stableSigmoid(x) - t) * inverseK
                    if samples.isClassification, (x > 0) == (t > 0.5) { correct += 1 }
                }
                total += Double(s * inverseK)
            }
        }
        return (total, correct)
    }

    /// Whether accuracy is defined for this loss.
    var measuresAccuracy: Bool { self != .meanSquaredError }
}

/// L1 and L2 penalties on the dense layers' weights and the convolutions' kernels (not biases, batch-norm or PReLU
/// parameters), added to the data loss by the objective:
/// R(w) = l1·Σ|wᵢ| + (l2/2)·Σwᵢ², with (sub)gradient l1·sign(wᵢ) + l2·wᵢ (sign(0) = 0).
public struct Regularizer: Sendable, Equatable, Codable {
    public var l1: Float
    public var l2: Float

    public init(l1: Float = 0, l2: Float = 0) throws {
        try validate("l1", l1, in: 0...Float.greatestFiniteMagnitude)
        try validate("l2", l2, in: 0...Float.greatestFiniteMagnitude)
        self.l1 = l1
        self.l2 = l2
    }

    /// No penalty.
    public static let none = Regularizer(unchecked: 0, 0)

    private init(unchecked l1: Float, _ l2: Float) {
        self.l1 = l1
        self.l2 = l2
    }

    public var isActive: Bool { l1 != 0 || l2 != 0 }

    /// The penalty over `count` weights, and its gradient added into `gradient` when given.
    func penalty(_ w: UnsafePointer<Float>, count: Int, gradient: UnsafeMutablePointer<Float>?) -> Double {
        guard isActive else { return 0 }
        var absolute = 0.0
        var squares = 0.0
        for i in 0..<count {
            let v = w[i]
            absolute += Double(abs(v))
            squares += Double(v * v)
            if let g = gradient {
                g[i] += l1 * (v > 0 ? 1 : (v < 0 ? -1 : 0)) + l2 * v
            }
        }
        return Double(l1) * absolute + Double(l2) / 2 * squares
    }
}
