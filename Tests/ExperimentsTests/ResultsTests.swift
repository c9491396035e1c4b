import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabExperiments

private let twoVariants = """
    name: results
    dataset: {name: digits}
    optimizer: plain-descent
    budget: {units: 1200}
    seeds: 3
    baseline: adam
    targetAccuracy: 0.55
    variants: [{name: adam}, {name: "ga, with a comma"}]
    """

private func records(_ experiment: ExperimentSpec) throws -> [TrialRecord] {
    let executor = ScriptedExecutor()
    return try experiment.trials.map { try executor.run($0) { _ in } }
}

@Suite struct ResultsTests {
    @Test func csvQuotesAndReadsBackAwkwardFields() throws {
        let table = CSVTable(header: ["a", "b"], rows: [["x,y", "say \"hi\""], ["line\nbreak", ""], ["", "plain"]])
        #expect(table.text == "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"line\nbreak\",\n,plain\n")
        #expect(try CSVTable(parsing: table.text) == table)
        #expect(throws: WeightLabError.self) { try CSVTable(parsing: "a,b\n1\n") }
        #expect(throws: WeightLabError.self) { try CSVTable(parsing: "a\n\"open\n") }
    }

    @Test func runsCSVRoundTripsEveryTraceRow() throws {
        let experiment = try spec(twoVariants)
        let original = try records(experiment)
        let text = RunsTable.table(original).text
        let traces = try RunsTable.traces(CSVTable(parsing: text))
        #expect(traces.count == original.count)
        for (trace, record) in zip(traces, original) {
            #expect(trace.variant == record.variant)
            #expect(trace.seed == record.seed)
            #expect(trace.points == record.points)
            #expect(trace.outcome == record.outcome)
            #expect(trace.stopReason == record.stopReason)
        }
        #expect(text.hasPrefix("variant,seed,step,epoch,cost_units,wall_seconds,training_loss,validation_loss,validation_accuracy,learning_rate,part,status,stop_reason\n"))
    }

    @Test func aRecordKeepsTheMeasuredTrainingLossElseTheAverageInShortestDecimals() throws {
        let rows = [
            TraceRow(step: 1, epoch: nil, costUnits: 10, wallSeconds: 0.5, loss: 3, averageLoss: 0.1),
            TraceRow(step: 2, epoch: 1, costUnits: 20, wallSeconds: 1, loss: 3, averageLoss: 0.1, trainingLoss: 3.0e7, validationAccuracy: 0.7),
        ]
        let record = TrialRecord(
            variant: "v", seed: 1, fingerprint: "f", outcome: .completed, stopReason: "steps", points: rows,
            final: FinalMeasurements(costUnits: 20, wallSeconds: 1, steps: 2))
        let json = try #require(String(data: record.encoded(), encoding: .utf8))
        // 0.1 and 0.7 as their Floats' shortest decimal forms, not 0.10000000149011612; 3·10⁷ as a Double prints it.
        #expect(json.contains("\"trainingLoss\" : 0.1,\n") && json.contains("\"trainingLoss\" : 30000000,\n"))
        #expect(json.contains("\"validationAccuracy\" : 0.7,\n"))
        #expect(!json.contains("\"loss\"") && !json.contains("averageLoss"))
        let back = try TrialRecord.decode(record.encoded(), file: "r.json")
        #expect(back.points.map(\.reportedTrainingLoss) == [0.1, 3.0e7])
        #expect(back.points[1].validationAccuracy == 0.7)
        #expect(try back.encoded() == record.encoded())
        let csv = RunsTable.table([record]).text
        #expect(csv.contains(",0.1,,,,,running,\n") && csv.hasSuffix("\nv,1,2,1,20,1,30000000,,0.7,,,completed,steps\n"))
    }

    /// A record holds its rows as its file keeps them, from the start and after every change:
    /// the loss the steps reported stands in for a missing training loss, so the record equals
    /// the one read back from its file.
    @Test func aRecordHoldsItsRowsAsItsFileKeepsThem() throws {
        var record = TrialRecord(
            variant: "v", seed: 1, fingerprint: "f", outcome: .completed, stopReason: "steps",
            points: [TraceRow(step: 1, epoch: nil, costUnits: 10, wallSeconds: 0.5, loss: 3, averageLoss: 0.1)],
            final: FinalMeasurements(costUnits: 10, wallSeconds: 0.5, steps: 1))
        #expect(record.points[0].trainingLoss == 0.1 && record.points[0].loss == 0.1)
        #expect(try TrialRecord.decode(record.encoded(), file: "r.json") == record)
        record.points.append(TraceRow(step: 2, epoch: 1, costUnits: 20, wallSeconds: 1, loss: 5, averageLoss: 0.25, validationAccuracy: 0.7))
        #expect(record.points[1].trainingLoss == 0.25 && record.points[1].averageLoss == 0.25)
        #expect(try TrialRecord.decode(record.encoded(), file: "r.json") == record)
    }

    /// A results file that does not decode is an error naming the file, what it should hold
    /// and where it went wrong.
    @Test func unreadableResultsFilesNameTheFileAndWhatItShouldHold() {
        expectError(startingWith: "r.json: not a run record written by weightlab run: missing field 'variant' at the top level") {
            _ = try TrialRecord.decode(Data("{}".utf8), file: "r.json")
        }
        expectError(startingWith: "m.json: not an experiment manifest written by weightlab run: ") {
            _ = try ExperimentManifest.decode(Data("[1]".utf8), file: "m.json")
        }
    }

    @Test func recordsRoundTripThroughJSONWithNonFiniteValues() throws {
        var record = try records(spec(twoVariants))[0]
        record.points[0].trainingLoss = .infinity
        record.points[1].validationLoss = -.infinity
        let back = try TrialRecord.decode(record.encoded(), file: "r.json")
        #expect(back.points[0].trainingLoss == .infinity)
        #expect(back.points[1].validationLoss == -.infinity)
        #expect(back == record)
    }

    @Test func summaryComputesIntervalsTestsAndTargets() throws {
        let experiment = try spec(twoVariants)
        let summary = ExperimentSummary(manifest: ExperimentManifest(experiment), records: try records(experiment))
        let adam = try #require(summary.row("adam"))
        let ga = try #require(summary.row("ga, with a comma"))
        // The scripted test accuracies are 0.6 + base + seed/100 for seeds 1, 2, 3: mean
        // 0.62 + base, s = 0.01, half width t(0.975; 2)·0.01/√3 = 4.3027·0.005774 = 0.024841.
        let estimate = try #require(adam.estimates[.testAccuracy])
        #expect(abs(try #require(estimate.standardDeviation) - 0.01) < 1e-12)
        #expect(abs(try #require(estimate.halfWidth) - 0.024841) < 1e-5)
        // Generalization gap: (0.65 + base + seed/50) − (0.6 + base + seed/100) = 0.05 + seed/100.
        #expect(abs(try #require(adam.estimates[.generalizationGap]).mean - 0.07) < 1e-12)
        // Cost to target 0.55: validation accuracy 0.3 + base + 0.1k + seed/100 first reaches it
        // at the k where that crosses 0.55; the scripted base of "adam" is 0.2, so at k = 1 (300 units).
        #expect(adam.reachedTarget == 3)
        #expect(try #require(adam.estimates[.costToTarget]).mean == 300)
        // Three against three, separated: the exact two-sided p is 0.1; one comparison, so Holm leaves it.
        let test = try #require(ga.comparison)
        #expect(isApproximatelyEqual(test.pValue, 0.1, absolute: 1e-12))
        #expect(test.adjustedPValue == test.pValue)
        #expect(!test.significant)
        #expect(adam.comparison == nil)
    }

    @Test func markdownTableHasAColumnPerMetricAndMarksTheBaseline() throws {
        let experiment = try spec(twoVariants)
        let summary = ExperimentSummary(manifest: ExperimentManifest(experiment), records: try records(experiment))
        let markdown = SummaryTables.markdown(summary, plots: [("Curves", "plots/c.svg")])
        let tableLines = markdown.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(tableLines.count == 4)
        #expect(tableLines[0].contains("test accuracy") && tableLines[0].contains("vs adam (test-accuracy)"))
        #expect(tableLines[2].contains("adam (baseline)"))
        #expect(tableLines[3].contains("p = 0.100"))
        #expect(markdown.contains("![Curves](plots/c.svg)"))
        // Three runs each: the smallest Mann–Whitney p is 2/C(6,3) = 0.1 > 0.05, which the notes say.
        #expect(markdown.contains("cannot reach p ≤ 0.05 (its smallest p is 0.100)"))
        #expect(SummaryTables.smallestPValue(.mannWhitney, runs: 5) == 2.0 / 252)
        #expect(SummaryTables.smallestPValue(.wilcoxon, runs: 5) == 0.0625)
        let csv = try CSVTable(parsing: SummaryTables.csv(summary).text)
        #expect(csv.rows.map { $0[0] } == ["adam", "ga, with a comma"])
        #expect(csv.rows[1][try csv.column("p_value")] == "0.1")
    }

    @Test func lineChartDrawsALineAndABandPerSeriesWithLabelsAndLegend() throws {
        let chart = LineChart(
            title: "Validation accuracy vs cost", xLabel: "cost (units)", yLabel: "validation accuracy (%)",
            series: [
                .init(name: "adam", points: [(0, 0.1), (100, 0.5), (200, 0.8)], band: [(0, 0.05, 0.15), (100, 0.45, 0.55), (200, 0.75, 0.85)]),
                .init(name: "ga & pso", points: [(0, 0.1), (200, 0.4)], band: [(0, 0.1, 0.1), (200, 0.3, 0.5)]),
                .init(name: "single seed", points: [(0, 0.2), (200, 0.3)], band: []),
            ],
            percentY: true)
        let svg = chart.svg
        #expect(svg.hasPrefix("<?xml") && svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.components(separatedBy: "<path class=\"line\"").count - 1 == 3)
        #expect(svg.components(separatedBy: "<path class=\"band\"").count - 1 == 2)
        #expect(svg.components(separatedBy: "<path").count - 1 == 5)
        #expect(svg.contains(">cost (units)</text>") && svg.contains(">validation accuracy (%)</text>"))
        #expect(svg.contains("class=\"legend\"") && svg.contains(">adam</text>") && svg.contains(">ga &amp; pso</text>"))
        #expect(svg.contains(">Validation accuracy vs cost</text>"))
        // Percent ticks: the y range 0.05...0.85 widens to 0...1 with steps of 0.2.
        #expect(svg.contains(">80</text>") && svg.contains(">100</text>"))
    }

    @Test func curvesAverageInterpolatedRunsAndCarryTheLastValue() throws {
        // Two runs: y = x on [0, 10], and y = 2 on [0, 4] (carried to 10 after it ends).
        let runs: [[TraceRow]] = [
            [TraceRow(step: 0, costUnits: 0, wallSeconds: 0, validationAccuracy: 0), TraceRow(step: 1, costUnits: 10, wallSeconds: 1, validationAccuracy: 10)],
            [TraceRow(step: 0, costUnits: 0, wallSeconds: 0, validationAccuracy: 2), TraceRow(step: 1, costUnits: 4, wallSeconds: 1, validationAccuracy: 2)],
        ]
        let series = try #require(Curves.series(name: "v", traces: runs, x: \.cost, y: \.validationAccuracy))
        #expect(series.points.count == Curves.resolution + 1)
        let middle = series.points[Curves.resolution / 2]
        #expect(middle.x == 5 && middle.y == (5 + 2) / 2)
        // Two values 5 and 2: s = 3/√2, half width t(0.975; 1)·s/√2 = 12.706·1.5 = 19.06.
        #expect(abs(series.band[Curves.resolution / 2].upper - (3.5 + 12.7062 * 1.5)) < 1e-3)
    }

    @Test func dotChartHasARowPerVariant() {
        let chart = DotChart(title: "Final test accuracy", xLabel: "test accuracy (%)", rows: [
            .init(name: "adam", estimate: Sample([0.8, 0.82, 0.84]).estimate(), values: [0.8, 0.82, 0.84]),
            .init(name: "ga", estimate: Sample([0.5]).estimate(), values: [0.5]),
        ], percent: true)
        let svg = chart.svg
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2 + 4)
        #expect(svg.contains(">adam</text>") && svg.contains(">ga</text>") && svg.contains(">test accuracy (%)</text>"))
    }

    @Test func reportsAreWrittenWithPlotsAndHTML() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let experiment = try spec(twoVariants)
        let store = ResultStore(directory: directory, rendersPNG: false)
        let manifest = ExperimentManifest(experiment)
        try store.prepare(manifest, fresh: false)
        let reports = try store.writeReports(manifest, records: try records(experiment))
        #expect(reports.plots == [
            "validation-accuracy-vs-cost.svg", "validation-accuracy-vs-time.svg", "training-loss-vs-cost.svg",
            "training-loss-vs-time.svg", "final-test-accuracy.svg",
        ])
        for name in ["runs.csv", "summary.csv", "summary.md", "report.html", "experiment.json"] + reports.plots.map({ "plots/" + $0 }) {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), "\(name)")
        }
        let html = try String(contentsOf: store.reportURL, encoding: .utf8)
        #expect(html.components(separatedBy: "<svg ").count - 1 == 5)
        #expect(html.contains("ga, with a comma"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }
}
