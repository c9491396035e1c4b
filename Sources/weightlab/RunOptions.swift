import ArgumentParser
import WeightLab

/// When a run stops and what it records, shared by `train` and `optimize`.
struct StoppingOptions: ParsableArguments {
    @Option(help: "Stop after this many epochs (gradient-epoch equivalents: cost units ÷ 3 × training samples).")
    var epochs: Double?

    @Option(help: "Stop after this many optimizer steps.")
    var steps: Int?

    @Option(help: "Stop after this many generations (the same as --steps, for population methods).")
    var generations: Int?

    @Option(help: "Stop when the cost ledger reaches this many units (1 per sample forward, 2 more backward).")
    var budget: Int?

    @Option(help: "Stop after this many wall-clock seconds.")
    var seconds: Double?

    @Option(help: "Stop when the training loss reaches this value.")
    var targetLoss: Double?

    /// The plan these options describe; `fallback` when no bound was given. `--steps` and
    /// `--generations` name one bound: given both, the smaller ends the run.
    func plan(fallback: StoppingPlan) -> StoppingPlan {
        var plan = StoppingPlan(
            units: budget, epochs: epochs, seconds: seconds, steps: [steps, generations].compactMap { $0 }.min(),
            targetLoss: targetLoss.map(Float.init))
        if !plan.isBounded {
            plan.units = fallback.units
            plan.epochs = fallback.epochs
            plan.seconds = fallback.seconds
            plan.steps = fallback.steps
        }
        return plan
    }
}

/// `--threads`, `--seed` and `--json`, shared by every command that runs an optimizer.
struct CommonOptions: ParsableArguments {
    @Option(help: "The seed of every random draw (initial weights, batches, mutations).")
    var seed: UInt64 = 0

    @Option(help: "Threads for BLAS and population evaluation (default: all cores).")
    var threads: Int?

    @Flag(help: "Print the result as one JSON object instead of text.")
    var json = false

    func apply() throws {
        if let threads {
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
            Parallelism.setThreadCount(threads)
        }
    }
}
