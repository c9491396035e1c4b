import Foundation

/// How a metric's values read in tables: accuracies in percent with two decimals, costs in
/// k/M/G units, other values to four significant digits. The numbers of one cell (mean, sd,
/// interval) share the mean's format, so they line up.
enum MetricFormat {
    /// `value` in the metric's display unit, without the unit.
    static func number(_ value: Double, _ metric: Metric) -> String {
        formatter(metric, reference: value)(value)
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

    /// `mean ± sd unit [lower, upper]`.
    static func cell(_ estimate: IntervalEstimate?, _ metric: Metric) -> String {
        guard let estimate else { return "—" }
        let format = formatter(metric, reference: estimate.mean)
        var text = format(estimate.mean)
        if let sd = estimate.standardDeviation { text += " ± " + format(sd) }
        text += unit(metric)
        if estimate.halfWidth != nil {
            let range = bounds(metric)
            text += " [\(format(max(range.lowerBound, estimate.lower))), \(format(min(range.upperBound, estimate.upper)))]"
        }
        return text
    }

    /// The values a metric can take: a displayed interval is cut there (a t interval around a
    /// mean near 100 % can reach past it); `summary.csv` keeps the uncut interval.
    static func bounds(_ metric: Metric) -> ClosedRange<Double> {
        switch metric {
        case .testAccuracy, .validationAccuracy, .trainingAccuracy: 0...1
        case .generalizationGap: -1...1
        default: 0...Double.infinity
        }
    }

    /// A format fitted to numbers of the size of `reference`.
    static func formatter(_ metric: Metric, reference: Double) -> (Double) -> String {
        switch metric {
        case .testAccuracy, .validationAccuracy, .trainingAccuracy, .generalizationGap:
            return { String(format: "%.2f", $0 * 100) }
        case .steps:
            return { String(format: "%.0f", $0) }
        case .costUnits, .costToTarget:
            let magnitude = abs(reference)
            let (limit, suffix) = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")].first { magnitude >= $0.0 } ?? (1, "")
            let scaled = magnitude / limit
            let decimals = limit == 1 ? 0 : scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2
            return { String(format: "%.\(decimals)f", $0 / limit) + suffix }
        default:
            let magnitude = abs(reference)
            guard reference.isFinite, magnitude < 1e5, magnitude >= 1e-3 || magnitude == 0 else {
                return { String(format: "%.3e", $0) }
            }
            let decimals = magnitude == 0 ? 3 : max(0, 3 - Int(floor(log10(magnitude))))
            return { String(format: "%.\(decimals)f", $0) }
        }
    }

    /// A p-value: three decimals, four below 0.01, "< 0.001" below that.
    static func pValue(_ p: Double) -> String {
        p < 0.001 ? "< 0.001" : String(format: p < 0.01 ? "%.4f" : "%.3f", p)
    }
}
