import WeightLab

/// The Wilcoxon signed-rank test of paired samples (one pair per seed), two-sided.
///
/// The differences d = x − y are formed pair by pair; zeros are dropped (Wilcoxon's method),
/// the remaining n are ranked by |d| with midranks, and W+ sums the ranks of the positive
/// ones. Without ties among |d| and for n ≤ `exactLimit` the p-value is exact,
/// p = 2·P(W ≤ min(W+, W−)), counting the 2ⁿ equally likely sign patterns. Otherwise the normal
/// approximation with tie and continuity correction: μ = n(n + 1)/4,
/// σ² = n(n + 1)(2n + 1)/24 − Σ(t³ − t)/48, z = (|W+ − μ| − ½)/σ. Both agree with SciPy's
/// `wilcoxon` (`method="exact"` / `"approx"`, `correction=True`).
///
/// With 5 pairs the smallest possible two-sided p is 2/32 = 0.0625: five paired seeds can
/// never show significance at 0.05 with this test.
public struct WilcoxonSignedRank: Sendable, Equatable {
    /// The largest number of non-zero differences for which the exact distribution is used.
    public static let exactLimit = 50

    /// The sum of the ranks of the positive differences.
    public let wPlus: Double
    /// The number of non-zero differences the test used.
    public let count: Int
    /// The two-sided p-value.
    public let pValue: Double
    /// Whether `pValue` is exact rather than the normal approximation.
    public let isExact: Bool

    public init(_ x: [Double], _ y: [Double]) throws {
        guard x.count == y.count else {
            throw WeightLabError(.data, "the Wilcoxon signed-rank test pairs values: the samples have \(x.count) and \(y.count) values")
        }
        try checkFinite(x, "the first sample")
        try checkFinite(y, "the second sample")
        let differences = zip(x, y).map { $0 - $1 }.filter { $0 != 0 }
        guard !differences.isEmpty else {
            throw WeightLabError(.data, "the Wilcoxon signed-rank test needs at least one non-zero difference; every pair is equal")
        }
        let n = differences.count
        let ranking = Ranking(differences.map(abs))
        let plus = zip(differences, ranking.ranks).reduce(0) { $0 + ($1.0 > 0 ? $1.1 : 0) }
        let total = Double(n * (n + 1)) / 2
        wPlus = plus
        count = n
        isExact = !ranking.hasTies && n <= Self.exactLimit
        if isExact {
            pValue = Ranking.exactTwoSided(counts: Self.nullCounts(n), smallerTail: Int(min(plus, total - plus)))
        } else {
            pValue = Ranking.normalTwoSided(statistic: plus, mean: total / 2, variance: Double(n * (n + 1) * (2 * n + 1)) / 24 - ranking.tieTerm / 48)
        }
    }

    /// The number of subsets of the ranks {1, ..., n} with each sum 0...n(n + 1)/2.
    static func nullCounts(_ n: Int) -> [Double] {
        var counts = [Double](repeating: 0, count: n * (n + 1) / 2 + 1)
        counts[0] = 1
        var reach = 0
        for rank in stride(from: 1, through: n, by: 1) {
            reach += rank
            for sum in stride(from: reach, through: rank, by: -1) { counts[sum] += counts[sum - rank] }
        }
        return counts
    }
}
