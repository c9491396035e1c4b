import WeightLab

/// Ranks 1...n of a sample, ties sharing the mean of the positions they span (midranks),
/// as the rank tests need them.
struct Ranking {
    /// The rank of each value, in the input order.
    let ranks: [Double]
    /// The size of every group of tied values (groups of one omitted).
    let tieGroupSizes: [Int]

    init(_ values: [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var groups: [Int] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            let midrank = Double(start + 1 + end) / 2
            for position in start..<end { ranks[order[position]] = midrank }
            if end - start > 1 { groups.append(end - start) }
            start = end
        }
        self.ranks = ranks
        self.tieGroupSizes = groups
    }

    /// Σ(t³ − t) over the tie groups, the term the normal approximations' variances subtract.
    var tieTerm: Double {
        tieGroupSizes.reduce(0) { $0 + Double($1 * $1 * $1 - $1) }
    }

    var hasTies: Bool { !tieGroupSizes.isEmpty }
}

/// Throws unless every value is finite, naming the sample.
func checkFinite(_ values: [Double], _ name: String) throws {
    guard values.allSatisfy(\.isFinite) else {
        throw WeightLabError(.data, "\(name) holds a non-finite value; rank tests need finite values")
    }
}

extension Ranking {
    /// The exact two-sided p-value 2·P(T ≤ t), at most 1, of a rank statistic T whose null
    /// distribution `counts` lists (the arrangements giving T = 0, 1, ...), for the smaller tail t.
    static func exactTwoSided(counts: [Double], smallerTail t: Int) -> Double {
        min(1, 2 * counts[0...t].reduce(0, +) / counts.reduce(0, +))
    }

    /// The two-sided p-value of the normal approximation with continuity correction,
    /// z = max(0, |T − μ| − ½)/σ; 1 when the variance is not positive (every value tied).
    static func normalTwoSided(statistic: Double, mean: Double, variance: Double) -> Double {
        guard variance > 0 else { return 1 }
        return StandardNormal.twoSided(max(0, abs(statistic - mean) - 0.5) / variance.squareRoot())
    }
}
