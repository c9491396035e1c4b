import Foundation
import WeightLabCore

/// Two tiny classification sets for the convergence tests, private to this target.
enum TinyData {
    /// The four XOR points with labels x₁ XOR x₂.
    static let xor = Samples(features: [0, 0, 0, 1, 1, 0, 1, 1], featureCount: 2, labels: [0, 1, 1, 0])

    /// `count` points of scikit-learn's two interleaved half circles ("moons") with Gaussian
    /// noise of standard deviation `noise`; label 0 for the upper moon, 1 for the lower.
    static func moons(count: Int, noise: Float, rng: inout RandomStream) -> Samples {
        var features: [Float] = []
        var labels: [Int32] = []
        for i in 0..<count {
            let upper = i % 2 == 0
            let angle = Float.pi * rng.uniform()
            let x = upper ? cos(angle) : 1 - cos(angle)
            let y = upper ? sin(angle) : 0.5 - sin(angle)
            features += [x + noise * rng.normal(), y + noise * rng.normal()]
            labels.append(upper ? 0 : 1)
        }
        return Samples(features: features, featureCount: 2, labels: labels)
    }
}
