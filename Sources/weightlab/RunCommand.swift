import ArgumentParser
import Foundation
import WeightLab
import WeightLabExperiments

/// `weightlab run SPEC`: runs an experiment file and writes its results directory.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment: every variant with every seed, then tables, plots and a report.",
        discussion: """
            Results go to results/NAME/ (results/NAME-quick/ with --quick): runs.csv, summary.csv, \
            summary.md, plots/, report.html. Finished runs are saved as they end, so running the same \
            command again resumes where it stopped; --fresh starts over. See docs/experiments.md.
            """)

    @Argument(help: "The experiment specification (YAML or JSON).", completion: .file(extensions: ["yaml", "yml", "json"]))
    var spec: String

    @Option(help: "Runs at once. BLAS threads per run are set to max(1, cores / jobs). Under mpirun, 1: every rank but 0 runs one at a time.")
    var jobs: Int = 1

    @Flag(help: "Delete earlier results of this experiment and run every pair again.")
    var fresh = false

    @Option(help: ArgumentHelp("Run only shard K of N: the pairs i with i mod N = K − 1 (K from 1).", valueName: "K/N"))
    var shard: String?

    @Flag(help: "Smoke test: budgets / 10, at most 2,000 training samples and 2 seeds (or the spec's quick block).")
    var quick = false

    @Option(help: "The results directory (default: results/NAME, or results/NAME-quick).")
    var output: String?

    @Flag(help: "Do not render PNG copies of the plots.")
    var noPNG = false

    mutating func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs \(jobs): expected at least 1") }
        if Cluster.world.size > 1 && jobs != 1 {
            throw ValidationError("--jobs \(jobs): under mpirun each worker rank runs one trial at a time; start more ranks instead")
        }
    }

    mutating func run() throws {
        let registry = OptimizerRegistry.standard
        let interruption = WeightLabCommand.watchForInterruption()
        let experiment = try ExperimentSpec.load(path: spec, quick: quick)
        try experiment.validate(with: registry)
        let shard = try self.shard.map(Shard.init(parsing:))
        let directory = URL(fileURLWithPath: output ?? "results/\(experiment.name)\(quick ? "-quick" : "")")
        try OutputPaths.check(directory.path, as: .folder, option: output == nil ? "the results folder" : "--output")
        let store = ResultStore(directory: directory, rendersPNG: !noPNG)
        let executor = NetworkTrialExecutor(registry: registry, interruption: interruption) { note in
            FileHandle.standardError.write(Data("note: \(note)\n".utf8))
        }
        let world = Cluster.world
        if world.size > 1 && !world.isRoot {
            try TrialWorker(world: world, executor: executor, spec: experiment).serve()
            return
        }
        let ranks = try world.size > 1 ? RankTrialExecutor(world: world, local: executor) : nil
        let jobs = ranks?.workers ?? self.jobs
        let runner = try ExperimentRunner(
            spec: experiment, store: store, executor: ranks ?? executor, options: .init(jobs: jobs, fresh: fresh, shard: shard, interruption: interruption))
        let pairs = experiment.variants.count * experiment.seeds.count
        let interactive = ExperimentProgress.standardErrorIsTerminal
        let placement = ranks.map { ", on \($0.workers) worker ranks" } ?? ""
        FileHandle.standardError.write(Data("\(experiment.name): \(experiment.variants.count) variants × \(experiment.seeds.count) seeds = \(pairs) runs\(shard.map { ", shard \($0)" } ?? ""), \(jobs) at a time\(placement)\n".utf8))
        let outcome: ExperimentRunner.Outcome
        do {
            outcome = try runner.run { total in
                ExperimentProgress(total: total, metric: experiment.comparison.metric, target: experiment.targetAccuracy, interactive: interactive)
            }
        } catch {
            if ranks?.lostRank == nil { try? ranks?.stopWorkers() }
            throw error
        }
        if let lost = ranks?.lostRank {
            throw WeightLabError(.io, "\(lost); the runs finished before are saved in \(store.directory.path)")
        }
        try ranks?.stopWorkers()
        if outcome.skipped > 0 { print("\(outcome.skipped) runs were already saved and were skipped (--fresh runs them again).") }
        if outcome.stale > 0 { print("\(outcome.stale) saved runs were made with other settings and are ignored.") }
        print()
        print(SummaryTables.markdownTable(outcome.reports.summary))
        print(SummaryTables.notes(outcome.reports.summary))
        print()
        print("report: \(store.reportURL.path)")
        print("summary: \(store.summaryURL.path)")
        if !outcome.failures.isEmpty {
            for failure in outcome.failures { print("failed: \(failure.trial): \(failure.error)") }
            throw ExitCode(1)
        }
    }
}
