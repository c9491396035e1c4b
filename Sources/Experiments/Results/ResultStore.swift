import Foundation
import WeightLab

/// A results directory: `experiment.json` (the manifest), `runs/` (one record per finished
/// (variant, seed) pair), and the reports made from them: `runs.csv`, `summary.csv`,
/// `summary.md`, `plots/*.svg` (and `.png` when a converter is installed), `report.html`.
/// Every file is written atomically (a temporary file renamed into place).
public struct ResultStore: Sendable {
    public let directory: URL
    /// Whether plots are also rendered to PNG (when a converter is installed).
    public let rendersPNG: Bool

    public init(directory: URL, rendersPNG: Bool = true) {
        self.directory = directory
        self.rendersPNG = rendersPNG
    }

    public var runsDirectory: URL { directory.appendingPathComponent("runs") }
    public var plotsDirectory: URL { directory.appendingPathComponent("plots") }
    public var manifestURL: URL { directory.appendingPathComponent("experiment.json") }
    public var reportURL: URL { directory.appendingPathComponent("report.html") }
    public var summaryURL: URL { directory.appendingPathComponent("summary.md") }

    /// Creates the directory and writes the manifest; with `fresh`, first removes the saved
    /// runs and reports of an earlier run.
    public func prepare(_ manifest: ExperimentManifest, fresh: Bool) throws {
        let files = FileManager.default
        do {
            if fresh {
                for url in [runsDirectory, plotsDirectory] where files.fileExists(atPath: url.path) {
                    try files.removeItem(at: url)
                }
                for name in ["runs.csv", "summary.csv", "summary.md", "report.html"] {
                    try? files.removeItem(at: directory.appendingPathComponent(name))
                }
            }
            try files.createDirectory(at: runsDirectory, withIntermediateDirectories: true)
        } catch {
            throw WeightLabError(.io, "cannot prepare the results directory \(directory.path): \(error.localizedDescription)")
        }
        try AtomicFile.write(manifest.encoded(), to: manifestURL)
    }

    /// The manifest saved in this directory.
    public func manifest() throws -> ExperimentManifest {
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw WeightLabError(.io, "\(manifestURL.path): missing; is \(directory.path) a results directory written by weightlab run?")
        }
        return try ExperimentManifest.decode(data, file: manifestURL.path)
    }

    /// Where the record of `variant` with `seed` is saved: `runs/<readable name>-<hash>.seed-<seed>.json`
    /// (the hash keeps names that read alike apart).
    public func recordURL(variant: String, seed: UInt64) -> URL {
        let readable = String(variant.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" }.prefix(60))
        let hash = Fingerprint.of(.string(variant)).suffix(8)
        return runsDirectory.appendingPathComponent("\(readable)-\(hash).seed-\(seed).json")
    }

    /// Saves a finished run.
    public func save(_ record: TrialRecord) throws {
        try AtomicFile.write(record.encoded(), to: recordURL(variant: record.variant, seed: record.seed))
    }

    /// Every record in `runs/`.
    public func allRecords() throws -> [TrialRecord] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: runsDirectory.path)
        } catch {
            return []
        }
        return try names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().map { name in
            let url = runsDirectory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw WeightLabError(.io, "\(url.path): cannot read")
            }
            return try TrialRecord.decode(data, file: url.path)
        }
    }

    /// The records of `manifest`'s current pairs, in its order (variants, then seeds): saved
    /// runs of variants no longer in it, of seeds no longer in it, or made with other settings
    /// (a different fingerprint) are left out and counted as stale.
    public func currentRecords(of manifest: ExperimentManifest) throws -> (records: [TrialRecord], stale: Int) {
        let all = try allRecords()
        let current = Self.current(all, of: manifest)
        return (current, all.count - current.count)
    }

    /// `records` restricted to `manifest`'s pairs with matching fingerprints, in its order.
    static func current(_ records: [TrialRecord], of manifest: ExperimentManifest) -> [TrialRecord] {
        var byPair: [String: TrialRecord] = [:]
        for record in records { byPair["\(record.variant)\u{0}\(record.seed)"] = record }
        return manifest.variants.flatMap { entry in
            manifest.seeds.compactMap { seed in
                byPair["\(entry.name)\u{0}\(seed)"].flatMap { $0.fingerprint == entry.fingerprint ? $0 : nil }
            }
        }
    }

    /// The files `writeReports` made.
    public struct Reports: Sendable {
        public var summary: ExperimentSummary
        public var markdown: String
        public var plots: [String]
        public var pngs: Int
    }

    /// Writes `runs.csv`, `summary.csv`, `summary.md`, the plots and `report.html` from the
    /// current records.
    @discardableResult
    public func writeReports(_ manifest: ExperimentManifest, records: [TrialRecord]) throws -> Reports {
        let summary = ExperimentSummary(manifest: manifest, records: records)
        try write(RunsTable.table(records).text, "runs.csv")
        try write(SummaryTables.csv(summary).text, "summary.csv")
        let plots = ExperimentPlots.all(manifest, records)
        do {
            try FileManager.default.createDirectory(at: plotsDirectory, withIntermediateDirectories: true)
        } catch {
            throw WeightLabError(.io, "cannot create \(plotsDirectory.path): \(error.localizedDescription)")
        }
        var pngs = 0
        for plot in plots {
            let svg = plotsDirectory.appendingPathComponent(plot.file)
            try AtomicFile.write(Data(plot.svg.utf8), to: svg)
            let png = svg.deletingPathExtension().appendingPathExtension("png")
            if rendersPNG && PNGConverter.convert(svg, to: png) { pngs += 1 }
        }
        let markdown = SummaryTables.markdown(summary, plots: plots.map { ($0.title, "plots/" + $0.file) })
        try write(markdown, "summary.md")
        try write(HTMLReport.page(summary, plots: plots), "report.html")
        return Reports(summary: summary, markdown: markdown, plots: plots.map(\.file), pngs: pngs)
    }

    private func write(_ text: String, _ name: String) throws {
        try AtomicFile.write(Data(text.utf8), to: directory.appendingPathComponent(name))
    }
}
