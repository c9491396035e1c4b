import ArgumentParser
import Foundation
import WeightLabExperiments

/// `weightlab merge`: joins the results directories of an experiment's shards.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the results of an experiment's shards (weightlab run --shard K/N) and write its reports.")

    @Argument(help: "The shards' results directories.", completion: .directory)
    var shards: [String]

    @Option(help: "Where the merged results go (may be one of the shards).")
    var output: String

    @Flag(help: "Do not render PNG copies of the plots.")
    var noPNG = false

    mutating func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the results directories of the shards to merge") }
    }

    mutating func run() throws {
        let outcome = try ShardMerger.merge(shards.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: output), rendersPNG: !noPNG)
        print("merged \(outcome.runs) runs\(outcome.missing > 0 ? "; \(outcome.missing) runs of the experiment are in no shard yet" : "")\(outcome.duplicates > 0 ? "; \(outcome.duplicates) runs found twice (the first kept)" : "")")
        print()
        print(SummaryTables.markdownTable(outcome.reports.summary))
        print("report: \(URL(fileURLWithPath: output).appendingPathComponent("report.html").path)")
    }
}
