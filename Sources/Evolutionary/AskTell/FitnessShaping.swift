import WeightLabCore
import Foundation

/// Turns raw fitness into zero-sum costs for the gradient-estimating evolution strategies:
/// worse individuals get larger costs, and the strategy descends along Σᵢ costᵢ·εᵢ. Shaping by
/// rank makes an update invariant to monotone transformations of the loss and immune to
/// outliers (a diverged individual at +∞ simply has the worst rank). Standardizing keeps the
/// loss differences themselves, which carry more information per evaluation when the losses are
/// smooth and priced on the same samples (pairs of mirrored individuals on one batch).
public enum FitnessShaping: String, Sendable, Codable, CaseIterable {
    /// costᵢ = rankᵢ/(n − 1) − ½, rank 0 the best: evenly spaced in [−½, ½]
    /// (Salimans et al., 2017, "Evolution Strategies as a Scalable Alternative to RL").
    case centeredRanks = "centered-ranks"
    /// costₖ = −uₖ with NES utilities uₖ = max(0, ln(n/2 + 1) − ln k) / Σⱼ max(0, ln(n/2 + 1) − ln j) − 1/n
    /// for the k-th best (k = 1…n): only the better half pulls (Wierstra et al., 2014, JMLR 15).
    case utilities = "nes-utilities"
    /// costᵢ = (fᵢ − mean f)/std f over the population, all zero when the spread is zero
    /// (evosax's `z_score` shaping). A non-finite fitness counts as the worst finite one, so
    /// one diverged individual cannot swamp the others.
    case standardized = "z-scores"

    /// Writes the costs of the first `count` fitness values into `costs` (resized to `count`),
    /// using `order` as scratch for the ranking.
    public func costs(of fitness: [Float], count: Int, order: inout [Int], into costs: inout [Float]) {
        if costs.count != count { costs = [Float](repeating: 0, count: count) }
        guard count > 1 else {
            if count == 1 { costs[0] = 0 }
            return
        }
        if self == .standardized {
            standardize(fitness, count: count, into: &costs)
            return
        }
        Fitness.sortIndices(fitness, count: count, into: &order)
        switch self {
        case .centeredRanks:
            let scale = 1 / Float(count - 1)
            for rank in 0..<count { costs[order[rank]] = Float(rank) * scale - 0.5 }
        case .utilities:
            let n = Double(count)
            let top = log(n / 2 + 1)
            var total = 0.0
            for k in 1...count { total += max(0, top - log(Double(k))) }
            for rank in 0..<count {
                let u = max(0, top - log(Double(rank + 1))) / total - 1 / n
                costs[order[rank]] = Float(-u)
            }
        case .standardized:
            break
        }
    }

    private func standardize(_ fitness: [Float], count: Int, into costs: inout [Float]) {
        let worst = fitness.prefix(count).filter(\.isFinite).max() ?? 0
        for i in 0..<count { costs[i] = fitness[i].isFinite ? fitness[i] : worst }
        let mean = costs.reduce(0.0) { $0 + Double($1) } / Double(count)
        let variance = costs.reduce(0.0) { sum, c in sum + (Double(c) - mean) * (Double(c) - mean) } / Double(count)
        let deviation = variance.squareRoot()
        for i in 0..<count { costs[i] = deviation > 0 ? Float((Double(costs[i]) - mean) / deviation) : 0 }
    }
}

extension FitnessShaping {
    /// The `shaping` parameter of the evolution strategies that shape their fitness.
    public static let parameter = Parameter(
        "shaping", default: FitnessShaping.centeredRanks.rawValue, .oneOf(allCases.map(\.rawValue)), "how fitness values become weights")

    /// Reads `shaping`.
    public init(parameters p: ParameterReader) throws {
        self = FitnessShaping(rawValue: try p.value(Self.parameter)) ?? .centeredRanks
    }
}
