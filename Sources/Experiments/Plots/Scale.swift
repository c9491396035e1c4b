import Foundation

/// Maps data values to pixels along one axis, linear or logarithmic, with readable ticks.
struct Scale {
    let lower: Double
    let upper: Double
    let logarithmic: Bool
    /// Pixel positions of `lower` and `upper`.
    let from: Double
    let to: Double

    /// A scale covering `values`: widened to round tick values, or, with `tight`, ending exactly
    /// at the extreme values (ticks then fall inside); logarithmic when asked and every value is
    /// positive.
    init(covering values: [Double], from: Double, to: Double, logarithmic: Bool = false, includeZero: Bool = false, tight: Bool = false) {
        var finite = values.filter(\.isFinite)
        let useLog = logarithmic && !finite.isEmpty && finite.allSatisfy { $0 > 0 }
        if includeZero && !useLog { finite.append(0) }
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if useLog {
            low = pow(10, floor(log10(low)))
            high = pow(10, ceil(log10(high)))
            if low == high { high = low * 10 }
        } else {
            if low == high {
                let pad = low == 0 ? 1 : abs(low) * 0.1
                low -= pad
                high += pad
            }
            if !tight {
                let step = Scale.niceStep((high - low) / 5)
                low = floor(low / step) * step
                high = ceil(high / step) * step
            }
        }
        self.lower = low
        self.upper = high
        self.logarithmic = useLog
        self.from = from
        self.to = to
    }

    /// The pixel position of `value`.
    func position(_ value: Double) -> Double {
        let t = logarithmic ? (log10(value) - log10(lower)) / (log10(upper) - log10(lower)) : (value - lower) / (upper - lower)
        return from + t * (to - from)
    }

    /// Tick values: about five round numbers, or the powers of ten on a log scale.
    var ticks: [Double] {
        if logarithmic {
            return stride(from: log10(lower), through: log10(upper) + 1e-9, by: 1).map { pow(10, $0.rounded()) }
        }
        let step = Scale.niceStep((upper - lower) / 5)
        let first = (lower / step).rounded(.up)
        let last = (upper / step + 1e-9).rounded(.down)
        guard last >= first else { return [lower, upper] }
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// 1, 2, 2.5 or 5 times a power of ten, close to `raw` (Heckbert's "nice numbers").
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, floor(log10(raw)))
        let fraction = raw / power
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        return nice * power
    }

    /// A tick's label: k/M/G for large numbers, powers of ten on log scales.
    func label(_ value: Double, percent: Bool = false) -> String {
        if percent { return String(format: "%g", (value * 1000).rounded() / 10) }
        if logarithmic { return value >= 1e4 || value <= 1e-3 ? String(format: "1e%d", Int(log10(value).rounded())) : String(format: "%g", value) }
        let magnitude = abs(value)
        for (limit, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where magnitude >= limit {
            return String(format: "%g", (value / limit * 1000).rounded() / 1000) + suffix
        }
        return String(format: "%g", (value * 1e6).rounded() / 1e6)
    }
}
