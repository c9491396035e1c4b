/// The minimization convention, stated once: lower fitness is better, and a non-finite
/// fitness (NaN, ±∞: a diverged individual) counts as +∞, the worst possible.
public enum Fitness {
    /// Replaces every non-finite value by +∞.
    public static func sanitize(_ fitness: inout [Float]) {
        for i in fitness.indices where !fitness[i].isFinite { fitness[i] = .infinity }
    }

    /// The lowest and highest finite values, nil when none is finite.
    public static func finiteRange(_ fitness: [Float]) -> ClosedRange<Float>? {
        var low = Float.infinity
        var high = -Float.infinity
        for f in fitness where f.isFinite {
            low = min(low, f)
            high = max(high, f)
        }
        return low <= high ? low...high : nil
    }

    /// The index of the lowest of the first `count` values (the first one on ties); 0 when empty.
    public static func argmin(_ fitness: [Float], count: Int? = nil) -> Int {
        let n = min(count ?? fitness.count, fitness.count)
        var best = 0
        for i in 0..<n where fitness[i] < fitness[best] { best = i }
        return best
    }

    /// Writes the indices 0..<`count` into `order`, sorted by ascending fitness, ties broken by
    /// index, so the order is deterministic.
    public static func sortIndices(_ fitness: [Float], count: Int? = nil, into order: inout [Int]) {
        let n = min(count ?? fitness.count, fitness.count)
        if order.count != n { order = [Int](repeating: 0, count: n) }
        for i in 0..<n { order[i] = i }
        order.sort { a, b in
            fitness[a] < fitness[b] || (fitness[a] == fitness[b] && a < b)
        }
    }
}
