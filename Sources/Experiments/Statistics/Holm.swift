/// Holm's step-down correction for multiple comparisons (Holm 1979), controlling the
/// family-wise error rate without assuming independence.
public enum Holm {
    /// Adjusted p-values, in the input order: sorting p ascending, the i-th (from 1) becomes
    /// max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎). A hypothesis is rejected at level α when its
    /// adjusted p-value is ≤ α (R's `p.adjust(method = "holm")`).
    public static func adjust(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (position, index) in order.enumerated() {
            running = max(running, min(1, Double(m - position) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}
