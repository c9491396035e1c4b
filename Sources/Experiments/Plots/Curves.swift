import WeightLab

/// Averages the traces of a variant's runs into one curve with a confidence band.
///
/// Each run's trace is linearly interpolated onto `resolution` + 1 evenly spaced x values from
/// the first x every run has reached (the largest first x) to the largest x any run reached;
/// after its last point a run keeps its last value (a finished run stays where it ended). At
/// every x the curve is the mean over the runs and the band its 95% Student-t interval (none
/// for a single run).
enum Curves {
    static let resolution = 80

    static func series(
        name: String, traces: [[TraceRow]], x: KeyPath<TraceRow, Double>, y: (TraceRow) -> Float?
    ) -> LineChart.Series? {
        let runs = traces.map { trace in
            trace.compactMap { point in y(point).map(decimal).flatMap { $0.isFinite ? (point[keyPath: x], $0) : nil } }.sorted { $0.0 < $1.0 }
        }.filter { !$0.isEmpty }
        guard let low = runs.compactMap({ $0.first?.0 }).max(), let high = runs.compactMap({ $0.last?.0 }).max() else { return nil }
        let steps = high > low ? resolution : 1
        var points: [(x: Double, y: Double)] = []
        var band: [(x: Double, lower: Double, upper: Double)] = []
        for i in 0...steps {
            let at = steps == 1 && high == low ? low : low + (high - low) * Double(i) / Double(steps)
            let sample = Sample(runs.compactMap { value(of: $0, at: at) })
            guard let estimate = sample.estimate() else { continue }
            points.append((at, estimate.mean))
            if estimate.halfWidth != nil { band.append((at, estimate.lower, estimate.upper)) }
        }
        return LineChart.Series(name: name, points: points, band: band.count == points.count ? band : [])
    }

    /// The run's value at `x`: interpolated inside its range, its last value after it, nil before it.
    /// `run` is sorted by x.
    static func value(of run: [(Double, Double)], at x: Double) -> Double? {
        guard let first = run.first, let last = run.last, x >= first.0 else { return nil }
        if x >= last.0 { return last.1 }
        var upper = 1
        while run[upper].0 < x { upper += 1 }
        let (x0, y0) = run[upper - 1], (x1, y1) = run[upper]
        return x1 > x0 ? y0 + (y1 - y0) * (x - x0) / (x1 - x0) : y1
    }
}
