import WeightLab

/// The plots of an experiment: convergence curves (validation accuracy and training loss,
/// against cost units and against wall seconds; mean and 95% band per variant) and a dot chart
/// of the compared metric's final values.
enum ExperimentPlots {
    /// One plot: its title, file name (in `plots/`) and SVG text.
    struct Plot {
        var title: String
        var file: String
        var svg: String
    }

    static let costLabel = "cost (ledger units: 1 per sample forward, 2 more per backward)"
    static let timeLabel = "wall time (s)"

    static func all(_ manifest: ExperimentManifest, _ records: [TrialRecord]) -> [Plot] {
        let traces = manifest.variants.map { entry in
            (entry.name, records.filter { $0.variant == entry.name }.map(\.points))
        }
        var plots: [Plot] = []
        let curves: [(String, String, (TraceRow) -> Float?, String, Bool)] = [
            ("Validation accuracy", "validation-accuracy", { $0.validationAccuracy }, "validation accuracy (%)", true),
            ("Training loss", "training-loss", { $0.reportedTrainingLoss }, "training loss (mean per sample)", false),
        ]
        for (title, stem, y, yLabel, percent) in curves {
            for (axis, suffix, x, xLabel) in [("cost", "cost", \TraceRow.cost, costLabel), ("wall time", "time", \TraceRow.wallSeconds, timeLabel)] {
                let series = traces.compactMap { Curves.series(name: $0.0, traces: $0.1, x: x, y: y) }
                guard !series.isEmpty else { continue }
                let values = series.flatMap { $0.points.map(\.y) }
                let logarithmic = !percent && (values.min() ?? 0) > 0 && (values.max() ?? 0) / (values.min() ?? 1) > 30
                let chart = LineChart(
                    title: "\(title) vs \(axis): mean and 95% interval over seeds", xLabel: xLabel, yLabel: yLabel,
                    series: series, percentY: percent, logarithmicY: logarithmic)
                plots.append(Plot(title: "\(title) vs \(axis)", file: "\(stem)-vs-\(suffix).svg", svg: chart.svg))
            }
        }
        let metric = manifest.comparison.metric
        let target = manifest.targetAccuracy
        let rows = traces.map { name, _ in
            let values = records.filter { $0.variant == name }.compactMap { $0.value(of: metric, target: target) }.filter(\.isFinite)
            return DotChart.Row(name: name, estimate: Sample(values).estimate(), values: values)
        }
        if rows.contains(where: { !$0.values.isEmpty }) {
            let percent = [Metric.testAccuracy, .validationAccuracy, .trainingAccuracy, .generalizationGap].contains(metric)
            let chart = DotChart(
                title: "Final \(metric.title): mean, 95% interval and each run", xLabel: metric.title + (percent ? " (%)" : ""),
                rows: rows, percent: percent)
            plots.append(Plot(title: "Final \(metric.title)", file: "final-\(metric.rawValue).svg", svg: chart.svg))
        }
        return plots
    }
}
