import Testing
@testable import WeightLabCore

/// Central finite differences against an objective's analytic gradient.
///
/// The objective computes in Float32, so differences are taken with a step of `h` (1e-3 by
/// default) and compared with a tolerance relative to the gradient's largest entry: a dropped
/// term or a flipped sign moves some coordinate by a large fraction of that scale, while
/// Float32 rounding moves the difference quotient by about 1e-4 of it.
/// Training-mode randomness (dropout masks) is frozen by handing every evaluation the same stream.
struct GradientCheck {
    let objective: any Objective
    let batch: Samples
    var rng = RandomStream(seed: 99)
    var step: Float = 1e-3

    /// The largest |finite difference − analytic| over the checked coordinates, divided by max(1, ‖g‖∞).
    func relativeError(at weights: [Float], coordinates: [Int]? = nil) throws -> Float {
        var gradient = [Float]()
        var stream = rng
        _ = try objective.lossAndGradient(at: weights, on: batch, into: &gradient, rng: &stream)
        let scale = max(1, gradient.map(abs).max() ?? 0)
        var worst: Float = 0
        var scratch = [Float]()
        for i in coordinates ?? Array(weights.indices) {
            var plus = weights
            var minus = weights
            plus[i] += step
            minus[i] -= step
            var s1 = rng
            var s2 = rng
            let fPlus = try objective.lossAndGradient(at: plus, on: batch, into: &scratch, rng: &s1)
            let fMinus = try objective.lossAndGradient(at: minus, on: batch, into: &scratch, rng: &s2)
            let numeric = (fPlus - fMinus) / (2 * step)
            worst = max(worst, abs(numeric - gradient[i]) / scale)
        }
        return worst
    }
}

/// Random features in [−1, 1) and labels in 0..<classes.
func randomClassification(count: Int, features: Int, classes: Int, seed: UInt64) -> Samples {
    var rng = RandomStream(seed: seed)
    let x = (0..<(count * features)).map { _ in rng.uniform(-1, 1) }
    let y = (0..<count).map { _ in Int32(rng.index(below: classes)) }
    return Samples(features: x, featureCount: features, labels: y)
}

/// Random features and targets in [−1, 1).
func randomRegression(count: Int, features: Int, targets: Int, seed: UInt64) -> Samples {
    var rng = RandomStream(seed: seed)
    let x = (0..<(count * features)).map { _ in rng.uniform(-1, 1) }
    let t = (0..<(count * targets)).map { _ in rng.uniform(-1, 1) }
    return Samples(features: x, featureCount: features, targets: t, targetWidth: targets)
}
