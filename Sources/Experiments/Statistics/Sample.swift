/// A sample of real values (one per seed, say) and its descriptive statistics.
public struct Sample: Sendable, Equatable {
    public let values: [Double]

    public init(_ values: [Double]) {
        self.values = values
    }

    public var count: Int { values.count }

    /// The arithmetic mean; nil for an empty sample.
    public var mean: Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// The sample standard deviation s = √(Σ(x − x̄)² / (n − 1)); nil below two values.
    public var standardDeviation: Double? {
        guard values.count > 1, let mean else { return nil }
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// The mean with its Student-t confidence interval x̄ ± t(1 − α/2; n − 1) · s/√n, where
    /// `confidence` = 1 − α; nil for an empty sample. With one value the interval is the value.
    public func estimate(confidence: Double = 0.95) -> IntervalEstimate? {
        guard let mean else { return nil }
        let halfWidth = standardDeviation.map {
            StudentT.quantile(1 - (1 - confidence) / 2, degreesOfFreedom: count - 1) * $0 / Double(count).squareRoot()
        }
        return IntervalEstimate(mean: mean, standardDeviation: standardDeviation, count: count, halfWidth: halfWidth, confidence: confidence)
    }
}

/// A mean with its standard deviation and confidence interval.
public struct IntervalEstimate: Sendable, Equatable, Codable {
    public var mean: Double
    /// The sample standard deviation; nil for a single value.
    public var standardDeviation: Double?
    public var count: Int
    /// Half the interval's width; nil for a single value.
    public var halfWidth: Double?
    /// The interval's coverage, 0.95 for a 95% interval.
    public var confidence: Double

    public var lower: Double { mean - (halfWidth ?? 0) }
    public var upper: Double { mean + (halfWidth ?? 0) }
}
