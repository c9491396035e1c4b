import WeightLab

/// The Mann–Whitney U test (Wilcoxon rank-sum test) of two independent samples, two-sided.
///
/// U_x = R_x − n_x(n_x + 1)/2, with R_x the sum of x's midranks in the pooled sample.
/// Without ties and with both samples of at most `exactLimit` values the p-value is exact:
/// p = 2·P(U ≤ min(U_x, U_y)), the null distribution counted with the recursion
/// N(m, n, u) = N(m − 1, n, u − n) + N(m, n − 1, u) (Mann & Whitney 1947). Otherwise the normal
/// approximation with tie correction and continuity correction is used:
/// z = (|U_x − n_x n_y/2| − ½) / σ, σ² = n_x n_y/12 · (N + 1 − Σ(t³ − t)/(N(N − 1))).
/// Both agree with SciPy's `mannwhitneyu` (`method="exact"` / `"asymptotic"`).
public struct MannWhitney: Sendable, Equatable {
    /// The largest sample size for which the exact distribution is used.
    public static let exactLimit = 20

    /// U of the first sample: the number of (x, y) pairs with x > y, ties counting ½.
    public let u: Double
    /// The two-sided p-value.
    public let pValue: Double
    /// Whether `pValue` is exact (no ties, small samples) rather than the normal approximation.
    public let isExact: Bool
    /// P(X > Y) + ½·P(X = Y) estimated as U_x/(n_x n_y): 1 when every x beats every y.
    public let probabilityOfSuperiority: Double

    public init(_ x: [Double], _ y: [Double]) throws {
        guard !x.isEmpty, !y.isEmpty else {
            throw WeightLabError(.data, "the Mann–Whitney test needs at least one value in each sample; got \(x.count) and \(y.count)")
        }
        try checkFinite(x, "the first sample")
        try checkFinite(y, "the second sample")
        let m = x.count, n = y.count
        let ranking = Ranking(x + y)
        let rankSum = ranking.ranks.prefix(m).reduce(0, +)
        let ux = rankSum - Double(m * (m + 1)) / 2
        let product = Double(m * n)
        u = ux
        probabilityOfSuperiority = ux / product
        isExact = !ranking.hasTies && m <= Self.exactLimit && n <= Self.exactLimit
        if isExact {
            pValue = Ranking.exactTwoSided(counts: Self.nullCounts(m, n), smallerTail: Int(min(ux, product - ux)))
        } else {
            let all = Double(m + n)
            pValue = Ranking.normalTwoSided(statistic: ux, mean: product / 2, variance: product / 12 * (all + 1 - ranking.tieTerm / (all * (all - 1))))
        }
    }

    /// The number of arrangements of m x's and n y's giving U = 0...mn.
    static func nullCounts(_ m: Int, _ n: Int) -> [Double] {
        // table[i][j] holds the counts for i x's and j y's.
        var table = [[[Double]]](repeating: [], count: m + 1)
        for i in 0...m {
            table[i] = [[Double]](repeating: [], count: n + 1)
            for j in 0...n {
                if i == 0 || j == 0 {
                    table[i][j] = [1]
                    continue
                }
                var counts = [Double](repeating: 0, count: i * j + 1)
                // The largest value is an x (beating all j y's) or a y (beating none).
                for (u, c) in table[i - 1][j].enumerated() { counts[u + j] += c }
                for (u, c) in table[i][j - 1].enumerated() { counts[u] += c }
                table[i][j] = counts
            }
        }
        return table[m][n]
    }
}
