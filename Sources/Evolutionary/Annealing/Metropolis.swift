import Foundation
import WeightLabCore

/// The Metropolis criterion (Metropolis, Rosenbluth, Rosenbluth, Teller & Teller, 1953):
/// a move that changes the loss by Δ is accepted with probability min(1, exp(−Δ/T)).
/// A move to a non-finite loss is never accepted unless the current loss is non-finite too.
public enum Metropolis {
    /// min(1, exp(−Δ/T)); at T = 0 only moves with Δ ≤ 0 are accepted.
    public static func acceptance(delta: Double, temperature: Double) -> Double {
        if delta <= 0 { return 1 }
        guard temperature > 0, delta.isFinite else { return 0 }
        return exp(-delta / temperature)
    }

    /// Whether to move from a point of loss `current` to one of loss `candidate`, drawing
    /// one uniform from `rng` when the move goes uphill.
    public static func accepts(candidate: Float, current: Float, temperature: Double, rng: inout RandomStream) -> Bool {
        if candidate <= current || (!current.isFinite && !candidate.isFinite) { return true }
        let p = acceptance(delta: Double(candidate) - Double(current), temperature: temperature)
        return p > 0 && rng.uniformDouble() < p
    }
}
