import Foundation

/// How a metric's values read in tables: accuracies in percent, costs in k/M/G units,
/// losses and times to four significant digits.
enum MetricFormat {
    /// `value` in the metric's display unit, without the unit.
    static func number(_ value: Double, _ metric: Metric) -> String {
        switch metric {
        case .testAccuracy, .validationAccuracy, .trainingAccuracy, .generalizationGap:
            return String(format: "%.2f", value * 100)
        case .costUnits, .costToTarget:
            return scaled(value)
        case .steps:
            return String(format: "%.0f", value)
        default:
            return significant(value)
        }
    }

    /// The unit after the numbers of a cell, if any.
    static func unit(_ metric: Metric) -> String {
        switch metric {
        case .testAccuracy, .validationAccuracy, .trainingAccuracy: " %"
        case .generalizationGap: " pts"
        case .wallSeconds, .secondsPerEpoch: " s"
        default: ""
        }
    }

    /// `mean ± sd [lower, upper]` with the unit.
    static func cell(_ estimate: IntervalEstimate?, _ metric: Metric) -> String {
        guard let estimate else { return "—" }
        var text = number(estimate.mean, metric)
        if let sd = estimate.standardDeviation { text += " ± " + number(sd, metric) }
        text += unit(metric)
        if estimate.halfWidth != nil { text += " [\(number(estimate.lower, metric)), \(number(estimate.upper, metric))]" }
        return text
    }

    /// Four significant digits, without exponent for ordinary magnitudes.
    static func significant(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 { return String(format: "%.3e", value) }
        let decimals = max(0, 3 - Int(floor(log10(magnitude))))
        return String(format: "%.\(decimals)f", value)
    }

    /// 12,300,000 → "12.3M".
    static func scaled(_ value: Double) -> String {
        let magnitude = abs(value)
        for (limit, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] where magnitude >= limit {
            return significant3(value / limit) + suffix
        }
        return significant3(value)
    }

    private static func significant3(_ value: Double) -> String {
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2
        return String(format: "%.\(decimals)f", value)
    }

    /// A p-value to two significant digits, "< 0.001" below that.
    static func pValue(_ p: Double) -> String {
        p < 0.001 ? "< 0.001" : String(format: p < 0.01 ? "%.4f" : "%.3f", p)
    }
}
