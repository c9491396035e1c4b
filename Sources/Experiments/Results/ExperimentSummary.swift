import WeightLab

/// The per-variant statistics of an experiment and its comparisons with the baseline: what
/// `summary.csv` and `summary.md` print.
public struct ExperimentSummary: Sendable {
    /// One variant.
    public struct Row: Sendable {
        public var variant: String
        /// Saved runs.
        public var runs: Int
        public var diverged: Int
        /// Mean, standard deviation and 95% interval of each metric over the runs that measured it.
        public var estimates: [Metric: IntervalEstimate]
        /// Runs whose validation accuracy reached the target.
        public var reachedTarget: Int
        /// The test against the baseline; nil for the baseline itself or without a baseline.
        public var comparison: Test?
        /// The data the runs used, as they describe it (one entry unless a fallback differed).
        public var data: [String]
    }

    /// A variant's test against the baseline on `comparison.metric`.
    public struct Test: Sendable {
        /// The raw two-sided p-value.
        public var pValue: Double
        /// After Holm's correction over all variants tested.
        public var adjustedPValue: Double
        /// Whether `adjustedPValue` ≤ alpha.
        public var significant: Bool
        /// Whether the variant's mean is better than the baseline's (by the metric's direction).
        public var better: Bool
        /// Values (or pairs) tested.
        public var count: Int
        public var exact: Bool
    }

    public let manifest: ExperimentManifest
    public let rows: [Row]

    public init(manifest: ExperimentManifest, records: [TrialRecord]) {
        self.manifest = manifest
        let target = manifest.targetAccuracy
        var rows = manifest.variants.map { entry -> Row in
            let runs = records.filter { $0.variant == entry.name }
            var estimates: [Metric: IntervalEstimate] = [:]
            for metric in Metric.allCases {
                estimates[metric] = Sample(runs.compactMap { $0.value(of: metric, target: target) }.filter(\.isFinite)).estimate()
            }
            return Row(
                variant: entry.name, runs: runs.count, diverged: runs.filter { $0.outcome == .diverged }.count,
                estimates: estimates, reachedTarget: runs.filter { $0.value(of: .costToTarget, target: target) != nil }.count,
                data: Array(Set(runs.compactMap(\.data))).sorted())
        }
        if let baseline = manifest.baseline {
            let tests = rows.map { row in
                row.variant == baseline ? nil : Self.test(row.variant, against: baseline, records: records, manifest: manifest)
            }
            let tested = tests.indices.filter { tests[$0] != nil }
            let adjusted = Holm.adjust(tested.compactMap { tests[$0]?.pValue })
            for (position, index) in tested.enumerated() {
                guard var test = tests[index] else { continue }
                test.adjustedPValue = adjusted[position]
                test.significant = adjusted[position] <= manifest.comparison.alpha
                rows[index].comparison = test
            }
        }
        self.rows = rows
    }

    /// The row of `variant`.
    public func row(_ variant: String) -> Row? { rows.first { $0.variant == variant } }

    private static func test(_ variant: String, against baseline: String, records: [TrialRecord], manifest: ExperimentManifest) -> Test? {
        let metric = manifest.comparison.metric
        func values(_ name: String) -> [UInt64: Double] {
            var result: [UInt64: Double] = [:]
            for record in records where record.variant == name {
                if let value = record.value(of: metric, target: manifest.targetAccuracy), value.isFinite { result[record.seed] = value }
            }
            return result
        }
        let mine = values(variant), theirs = values(baseline)
        guard let myMean = Sample(Array(mine.values)).mean, let theirMean = Sample(Array(theirs.values)).mean else { return nil }
        let better = metric.higherIsBetter ? myMean > theirMean : myMean < theirMean
        switch manifest.comparison.test {
        case .mannWhitney:
            guard let test = try? MannWhitney(mine.keys.sorted().compactMap { mine[$0] }, theirs.keys.sorted().compactMap { theirs[$0] }) else { return nil }
            return Test(pValue: test.pValue, adjustedPValue: test.pValue, significant: false, better: better, count: mine.count + theirs.count, exact: test.isExact)
        case .wilcoxon:
            let seeds = Set(mine.keys).intersection(theirs.keys).sorted()
            guard !seeds.isEmpty else { return nil }
            let x = seeds.compactMap { mine[$0] }, y = seeds.compactMap { theirs[$0] }
            guard let test = try? WilcoxonSignedRank(x, y) else {
                // Every pair equal: no evidence of a difference.
                return Test(pValue: 1, adjustedPValue: 1, significant: false, better: false, count: seeds.count, exact: true)
            }
            return Test(pValue: test.pValue, adjustedPValue: test.pValue, significant: false, better: better, count: seeds.count, exact: test.isExact)
        }
    }
}
