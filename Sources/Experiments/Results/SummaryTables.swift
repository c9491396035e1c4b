import Foundation
import WeightLab

/// `summary.csv` and `summary.md` from an `ExperimentSummary`.
public enum SummaryTables {
    /// One line per variant: runs, diverged runs, runs that reached the target, then for every
    /// metric its mean, standard deviation, 95% interval and count, then the test against the
    /// baseline (raw and Holm-adjusted p, significance, direction). Raw numbers, no units:
    /// accuracies as fractions, costs in units, times in seconds.
    public static func csv(_ summary: ExperimentSummary) -> CSVTable {
        var header = ["variant", "runs", "diverged", "reached_target"]
        for metric in Metric.allCases {
            let stem = metric.rawValue.replacingOccurrences(of: "-", with: "_")
            header += ["\(stem)_mean", "\(stem)_sd", "\(stem)_ci_low", "\(stem)_ci_high", "\(stem)_n"]
        }
        header += ["p_value", "p_holm", "significant", "better_than_baseline"]
        var table = CSVTable(header: header)
        for row in summary.rows {
            var fields = [row.variant, String(row.runs), String(row.diverged), String(row.reachedTarget)]
            for metric in Metric.allCases {
                let estimate = row.estimates[metric]
                fields += [
                    CSVNumber.text(estimate?.mean), CSVNumber.text(estimate?.standardDeviation),
                    CSVNumber.text(estimate.map(\.lower)), CSVNumber.text(estimate.map(\.upper)), CSVNumber.text(estimate?.count),
                ]
            }
            if let test = row.comparison {
                fields += [CSVNumber.text(test.pValue), CSVNumber.text(test.adjustedPValue), String(test.significant), String(test.better)]
            } else {
                fields += ["", "", "", ""]
            }
            table.rows.append(fields)
        }
        return table
    }

    /// A table cell: its text, and whether it holds the best value of its column.
    public struct Cell: Sendable, Equatable {
        public var text: String
        public var best: Bool
    }

    /// The table the Markdown and HTML reports show: a row per variant with the spec's metrics
    /// (mean ± sd [95% CI]) and, with a baseline, the test against it.
    public static func display(_ summary: ExperimentSummary) -> (header: [String], rows: [[Cell]]) {
        let manifest = summary.manifest
        let metrics = manifest.metrics
        var header = ["variant", "runs"] + metrics.map(\.title)
        if let baseline = manifest.baseline { header.append("vs \(baseline) (\(manifest.comparison.metric.rawValue))") }
        let best = Dictionary(uniqueKeysWithValues: metrics.map { ($0, bestVariant(summary, $0)) })
        let rows = summary.rows.map { row -> [Cell] in
            var runs = String(row.runs)
            if row.diverged > 0 { runs += " (\(row.diverged) diverged)" }
            var cells = [Cell(text: row.variant + (row.variant == manifest.baseline ? " (baseline)" : ""), best: false), Cell(text: runs, best: false)]
            for metric in metrics {
                var text = MetricFormat.cell(row.estimates[metric], metric)
                if metric == .costToTarget { text += " (\(row.reachedTarget)/\(row.runs) reached)" }
                cells.append(Cell(text: text, best: best[metric] == row.variant))
            }
            if manifest.baseline != nil {
                if let test = row.comparison {
                    let mark = test.significant ? (test.better ? " ✱ better" : " ✱ worse") : ""
                    cells.append(Cell(text: "p = \(MetricFormat.pValue(test.pValue)), Holm \(MetricFormat.pValue(test.adjustedPValue))\(mark)", best: false))
                } else {
                    cells.append(Cell(text: row.variant == manifest.baseline ? "baseline" : "—", best: false))
                }
            }
            return cells
        }
        return (header, rows)
    }

    /// What the cells mean, the test and the correction, in one paragraph.
    public static func notes(_ summary: ExperimentSummary) -> String {
        let manifest = summary.manifest
        let test = manifest.comparison.test == .mannWhitney ? "Mann–Whitney U test (independent runs)" : "Wilcoxon signed-rank test (runs paired by seed)"
        var notes = "Cells: mean ± standard deviation over \(manifest.seeds.count) seeds [95% Student-t confidence interval, cut at the metric's possible range]; the best mean of each column is in bold."
        if let baseline = manifest.baseline {
            notes += " Each variant is compared with \(baseline) on \(manifest.comparison.metric.title) by a two-sided \(test); p-values are Holm-corrected over the \(max(0, summary.rows.count - 1)) comparisons, ✱ marks adjusted p ≤ \(manifest.comparison.alpha)."
            let smallest = smallestPValue(manifest.comparison.test, runs: manifest.seeds.count)
            if smallest > manifest.comparison.alpha {
                notes += " With \(manifest.seeds.count) runs per variant this test cannot reach p ≤ \(manifest.comparison.alpha) (its smallest p is \(MetricFormat.pValue(smallest))): add seeds to test differences."
            }
        }
        if let target = manifest.targetAccuracy, manifest.metrics.contains(.costToTarget) {
            notes += " Cost to target: units spent when validation accuracy first reached \(MetricFormat.number(target, .testAccuracy)) %, over the runs that reached it."
        }
        return notes
    }

    /// The summary table in Markdown, with a blank line after it: what `weightlab run` prints.
    public static func markdownTable(_ summary: ExperimentSummary) -> String {
        let table = display(summary)
        var lines = ["| " + table.header.map(\.markdownEscaped).joined(separator: " | ") + " |"]
        lines.append("|" + table.header.map { _ in " --- |" }.joined())
        for row in table.rows {
            lines.append("| " + row.map { $0.best ? "**\($0.text.markdownEscaped)**" : $0.text.markdownEscaped }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The smallest two-sided p-value the test can give with `runs` runs per variant (no ties):
    /// 2/C(2n, n) for Mann–Whitney, 2/2ⁿ for Wilcoxon.
    static func smallestPValue(_ test: Comparison.Test, runs n: Int) -> Double {
        var arrangements = 1.0
        switch test {
        case .mannWhitney:
            // C(2n, n) = Π_{i=1..n} (n + i)/i.
            for i in stride(from: 1, through: n, by: 1) { arrangements *= Double(n + i) / Double(i) }
        case .wilcoxon:
            arrangements = pow(2, Double(n))
        }
        return min(1, 2 / arrangements)
    }

    /// The Markdown report: title, description, the survey's claim, the table, the notes, each
    /// variant's setup, and the plots.
    public static func markdown(_ summary: ExperimentSummary, plots: [(title: String, file: String)] = []) -> String {
        let manifest = summary.manifest
        var lines = ["# \(manifest.name)\(manifest.quick ? " (quick mode)" : "")", ""]
        if let description = manifest.description { lines += [description, ""] }
        if let survey = manifest.survey { lines += ["> **The survey's claim:** \(survey)", ""] }
        lines += [markdownTable(summary), notes(summary), "", "## Variants", ""]
        for entry in manifest.variants {
            let data = summary.row(entry.name)?.data.joined(separator: "; ") ?? ""
            lines.append("- **\(entry.name.markdownEscaped)**: \(entry.setup.markdownEscaped)\(data.isEmpty ? "" : " (data: \(data.markdownEscaped))")")
        }
        if !plots.isEmpty {
            lines += ["", "## Plots", ""]
            for plot in plots { lines.append("![\(plot.title)](\(plot.file))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The variant with the best mean of `metric` (for the generalization gap, the one
    /// nearest zero), when at least two variants measured it.
    static func bestVariant(_ summary: ExperimentSummary, _ metric: Metric) -> String? {
        let measured = summary.rows.compactMap { row in row.estimates[metric].map { (row.variant, $0.mean) } }
        guard measured.count > 1 else { return nil }
        let best: (String, Double)?
        switch metric {
        case .generalizationGap: best = measured.min { abs($0.1) < abs($1.1) }
        case _ where metric.higherIsBetter: best = measured.max { $0.1 < $1.1 }
        default: best = measured.min { $0.1 < $1.1 }
        }
        return best?.0
    }
}

extension String {
    /// Escapes the characters that would break a Markdown table cell.
    var markdownEscaped: String {
        replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "*", with: "\\*").replacingOccurrences(of: "_", with: "\\_")
    }
}
