import Testing
@testable import WeightLabCore

/// Central finite differences against an objective's analytic gradient, coordinate by coordinate.
///
/// The objective computes in Float32, so differences use the five-point stencil with a step of
/// `h` = 5e-3 (truncation error O(h⁴), rounding noise about 2e-5 on a loss near 1). Each
/// coordinate's error is relative to its own size, |numeric − analytic| / max(|numeric|,
/// |analytic|, `floor`): a dropped term, a flipped sign or a wrong derivative (GELU's tanh
/// approximation for the exact GELU, 1e-3 here) shows in the coordinates it touches, however
/// small the gradient's other entries make them. Below `floor` (0.05) a component is compared
/// absolutely, at about 4e-4 of noise on the tests' networks. A kink within 2h of a point
/// (ReLU, leaky ReLU, PReLU) spoils the stencil: those checks use h = 1e-3 and a looser tolerance.
/// Training-mode randomness (dropout masks) is frozen by handing every evaluation the same stream.
struct GradientCheck {
    let objective: any Objective
    let batch: Samples
    var rng = RandomStream(seed: 99)
    var step: Float = 5e-3
    /// Components smaller than this are compared absolutely (see above).
    static let floor: Float = 0.05
    /// The objective whose finite differences are taken: the same one, unless a test plants an
    /// error by differencing another.
    var differenced: (any Objective)?

    /// The largest per-coordinate error |numeric − analytic| / max(|numeric|, |analytic|, floor)
    /// over the checked coordinates.
    func relativeError(at weights: [Float], coordinates: [Int]? = nil) throws -> Float {
        var gradient = [Float]()
        var stream = rng
        _ = try objective.lossAndGradient(at: weights, on: batch, into: &gradient, rng: &stream)
        let reference = differenced ?? objective
        var worst: Float = 0
        var scratch = [Float]()
        for i in coordinates ?? Array(weights.indices) {
            func f(_ offset: Float) throws -> Double {
                var moved = weights
                moved[i] += offset
                var stream = rng
                return Double(try reference.lossAndGradient(at: moved, on: batch, into: &scratch, rng: &stream))
            }
            // The five-point stencil (error O(h⁴)): (−f(2h) + 8f(h) − 8f(−h) + f(−2h)) / 12h.
            let h = Double(step)
            let numeric = Float((8 * (try f(step) - f(-step)) - (try f(2 * step) - f(-2 * step))) / (12 * h))
            worst = max(worst, abs(numeric - gradient[i]) / max(abs(numeric), abs(gradient[i]), Self.floor))
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
