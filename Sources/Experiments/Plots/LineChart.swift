/// A chart of curves with shaded bands (mean across seeds with its confidence interval),
/// axis labels with units, and a legend on the right.
///
/// Each series draws exactly one `<path class="line">` and, when it has a band, one
/// `<path class="band">`; axes, grid and ticks are `<line>` elements.
struct LineChart {
    struct Series {
        var name: String
        /// (x, y) in data units.
        var points: [(x: Double, y: Double)]
        /// (x, lower, upper), drawn beneath the line; empty for none.
        var band: [(x: Double, lower: Double, upper: Double)]
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    /// Show y ticks as percentages (values are fractions).
    var percentY = false
    var logarithmicY = false

    static let width = 760.0
    static let height = 440.0

    var svg: String {
        let left = 72.0, right = Self.width - 210, top = 44.0, bottom = Self.height - 56
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys = series.flatMap { s in s.points.map(\.y) + s.band.flatMap { [$0.lower, $0.upper] } }.map(bounded)
        let x = Scale(covering: xs, from: left, to: right, includeZero: true, tight: true)
        let y = Scale(covering: ys, from: bottom, to: top, logarithmic: logarithmicY)
        var svg = SVGDocument(width: Self.width, height: Self.height)
        svg.text(title, x: (left + right) / 2, y: 24, anchor: .middle, size: 15, weight: "bold", cssClass: "title")
        for tick in x.ticks {
            let px = x.position(tick)
            svg.line(px, top, px, bottom, stroke: "#e6e6e6")
            svg.line(px, bottom, px, bottom + 5, stroke: "#444444")
            svg.text(x.label(tick), x: px, y: bottom + 18, anchor: .middle, size: 11)
        }
        for tick in y.ticks {
            let py = y.position(tick)
            svg.line(left, py, right, py, stroke: "#e6e6e6")
            svg.line(left - 5, py, left, py, stroke: "#444444")
            svg.text(y.label(tick, percent: percentY), x: left - 8, y: py + 4, anchor: .end, size: 11)
        }
        svg.line(left, bottom, right, bottom, stroke: "#444444")
        svg.line(left, top, left, bottom, stroke: "#444444")
        svg.text(xLabel, x: (left + right) / 2, y: Self.height - 16, anchor: .middle, size: 13, cssClass: "axis-label")
        svg.text(yLabel, x: 20, y: (top + bottom) / 2, anchor: .middle, size: 13, rotate: -90, cssClass: "axis-label")
        for (index, s) in series.enumerated() {
            let color = Palette.color(index)
            if !s.band.isEmpty {
                let upper = s.band.map { (x.position($0.x), y.position(clamp($0.upper, y))) }
                let lower = s.band.reversed().map { (x.position($0.x), y.position(clamp($0.lower, y))) }
                svg.region(upper + lower, fill: color, opacity: 0.18, label: "\(s.name): 95% interval")
            }
            svg.polyline(s.points.map { (x.position($0.x), y.position(clamp($0.y, y))) }, stroke: color, dash: Palette.dash(index), label: s.name)
        }
        legend(&svg, x: right + 16, top: top)
        return svg.text
    }

    private func legend(_ svg: inout SVGDocument, x: Double, top: Double) {
        for (index, s) in series.enumerated() {
            let y = top + 8 + Double(index) * 20
            svg.line(x, y, x + 22, y, stroke: Palette.color(index), width: 3, dash: Palette.dash(index))
            svg.text(s.name.abbreviated(to: 26), x: x + 28, y: y + 4, size: 12, cssClass: "legend")
        }
    }

    /// Values outside a log scale's range (zero losses) are drawn at its edge.
    private func clamp(_ value: Double, _ scale: Scale) -> Double {
        let value = bounded(value)
        return scale.logarithmic ? max(value, scale.lower) : value
    }

    /// Shares (percent axes) lie in [0, 1]; an interval reaching past either end is cut there.
    private func bounded(_ value: Double) -> Double {
        percentY ? min(1, max(0, value)) : value
    }
}

/// A dot chart of one metric: a row per variant with its mean (filled dot), its 95% interval
/// (a horizontal bar) and each run (small hollow dots).
struct DotChart {
    struct Row {
        var name: String
        var estimate: IntervalEstimate?
        var values: [Double]
    }

    var title: String
    var xLabel: String
    var rows: [Row]
    var percent = false

    static let width = 760.0

    var svg: String {
        let rowHeight = 30.0, top = 48.0, left = 230.0, right = Self.width - 30
        let height = top + Double(rows.count) * rowHeight + 60
        let bottom = height - 56
        let all = rows.flatMap { row in row.values + (row.estimate.map { [$0.lower, $0.upper] } ?? []) }
        let x = Scale(covering: all, from: left, to: right)
        var svg = SVGDocument(width: Self.width, height: height)
        svg.text(title, x: Self.width / 2, y: 26, anchor: .middle, size: 15, weight: "bold", cssClass: "title")
        for tick in x.ticks {
            let px = x.position(tick)
            svg.line(px, top - 8, px, bottom, stroke: "#e6e6e6")
            svg.text(x.label(tick, percent: percent), x: px, y: bottom + 18, anchor: .middle, size: 11)
        }
        svg.line(left, bottom, right, bottom, stroke: "#444444")
        svg.text(xLabel, x: (left + right) / 2, y: height - 16, anchor: .middle, size: 13, cssClass: "axis-label")
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight + rowHeight / 2
            let color = Palette.color(index)
            svg.text(row.name.abbreviated(to: 34), x: left - 12, y: y + 4, anchor: .end, size: 12, cssClass: "legend")
            if let estimate = row.estimate {
                svg.line(x.position(estimate.lower), y, x.position(estimate.upper), y, stroke: color, width: 3)
                svg.circle(x.position(estimate.mean), y, radius: 5.5, fill: color, label: "\(row.name): mean \(estimate.mean)")
            }
            for value in row.values {
                svg.circle(x.position(value), y - 9, radius: 2.5, fill: "none", stroke: color)
            }
        }
        return svg.text
    }
}

extension String {
    /// At most `limit` characters, an ellipsis marking a cut.
    func abbreviated(to limit: Int) -> String {
        count <= limit ? self : String(prefix(limit - 1)) + "…"
    }
}
