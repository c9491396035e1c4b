import Foundation
import WeightLabCore

/// Gaussian mutation: every gene independently, with probability `rate`, gets σ·N(0, 1) added
/// (Bäck & Schwefel, 1993; DEAP's `mutGaussian` with `indpb`).
///
/// At low rates (below 1/16) the genes to mutate are found by geometric skipping — the gap
/// to the next mutated gene is ⌊ln U / ln(1 − rate)⌋ — so a call costs O(rate·n) draws
/// rather than one per gene; at higher rates a Bernoulli trial per gene (a 32-bit comparison)
/// is cheaper than the logarithms.
///
/// Self-adaptive σ (Schwefel, 1977; Bäck, 1996, one step size per individual): a child's σ is
/// its first parent's σ times exp(τ·N(0, 1)) with the learning rate τ = 1/√n, drawn before
/// its genes are mutated, so step sizes that produce fit children survive with them.
public struct GaussianMutation: Sendable, Equatable, Codable {
    /// Probability that a gene is mutated, in [0, 1].
    public var rate: Float
    /// Standard deviation of the added noise (the starting one when self-adaptive).
    public var sigma: Float
    /// Whether each individual carries and evolves its own σ.
    public var selfAdaptive: Bool

    public init(rate: Float, sigma: Float, selfAdaptive: Bool = false) throws {
        self.rate = try OperatorParameters.mutationRate.checked(rate)
        self.sigma = try OperatorParameters.sigma.checked(sigma)
        self.selfAdaptive = selfAdaptive
    }

    /// Smallest σ self-adaptation may reach: below it Float32 weights stop changing.
    static let minimumSigma: Float = 1e-10

    /// A child's σ from its parent's, for `count` genes (unchanged unless self-adaptive).
    public func childSigma(from parent: Float, count: Int, rng: inout RandomStream) -> Float {
        guard selfAdaptive, count > 0 else { return parent }
        let tau = 1 / Float(count).squareRoot()
        return max(Self.minimumSigma, parent * expf(tau * rng.normal()))
    }

    /// Mutates the `count` genes at `genes` with standard deviation `sigma`, times `scales[i]`
    /// for gene i when given (each weight's initializer scale on a network).
    public func mutate(_ genes: UnsafeMutablePointer<Float>, count n: Int, sigma: Float, scales: UnsafePointer<Float>? = nil, rng: inout RandomStream) {
        guard rate > 0, sigma > 0, n > 0 else { return }
        if rate >= 1, scales == nil {
            rng.addNormal(to: UnsafeMutableBufferPointer(start: genes, count: n), standardDeviation: sigma)
            return
        }
        var local = rng  // a local copy keeps the generator's state in registers
        defer { rng = local }
        if rate >= 1, let scales {
            for i in 0..<n { genes[i] += sigma * scales[i] * local.normal() }
            return
        }
        if rate >= Self.skippingLimit {
            // One Bernoulli trial per gene, two 32-bit trials per random word.
            let threshold = UInt64((Double(rate) * 0x1p32).rounded())
            var bits: UInt64 = 0
            for i in 0..<n {
                if i & 1 == 0 { bits = local.next() }
                if bits & 0xFFFF_FFFF < threshold { genes[i] += sigma * (scales?[i] ?? 1) * local.normal() }
                bits >>= 32
            }
            return
        }
        let logKeep = log1pf(-rate)
        var i = -1
        while true {
            let u = 1 - local.uniform()  // (0, 1]
            let gap = (logf(u) / logKeep).rounded(.down)
            guard gap < Float(n - 1 - i) else { return }
            i += 1 + Int(gap)
            genes[i] += sigma * (scales?[i] ?? 1) * local.normal()
        }
    }

    /// Below this rate, skipping to the next mutated gene (one logarithm per mutation) is
    /// cheaper than a Bernoulli trial per gene.
    static let skippingLimit: Float = 1.0 / 16
}
