import ArgumentParser
import Foundation
import WeightLab

/// `weightlab optimize`: any optimizer on an analytic function with a known optimum.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Run any registered optimizer on an analytic test function and print where it ended.",
        discussion: """
            Examples:
              weightlab optimize --function rosenbrock --dimension 10 --optimizer bfgs2 --steps 500
              weightlab optimize --function rastrigin --dimension 2 --optimizer sa --from=-4.5,4.5 --steps 200 --json
              weightlab optimize --function rastrigin --dimension 10 --optimizer cma-es --bounds=-5,5 --budget 100000

            The search runs inside the function's standard domain unless --bounds says otherwise;
            without --from it starts from a uniform draw in the box.
            """)

    @Option(help: "The function: \(AnalyticFunction.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var function: String = "rosenbrock"

    @Option(help: "The number of variables.")
    var dimension: Int = 2

    @Option(name: .customLong("from"), parsing: .unconditional, help: ArgumentHelp(
        "The start point, comma-separated (e.g. --from=-1.2,1); default the function's customary start.",
        valueName: "x1,x2,..."))
    var start: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The search box, one pair for every coordinate (e.g. --bounds=-5,5); default the function's standard domain; 'none' for an unbounded search.",
        valueName: "low,high"))
    var bounds: String?

    @OptionGroup(title: "Optimizer") var optimizerOptions: OptimizerOptions

    @OptionGroup(title: "Stopping") var stopping: StoppingOptions

    @Option(help: "Write the trace (one row per step) to this CSV file.")
    var trace: String?

    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        try common.apply()
        try OutputPaths.check(files: [("--trace", trace)])
        guard let kind = AnalyticFunction.Kind(rawValue: function) else {
            throw ValidationError("unknown function '\(function)'; known: \(AnalyticFunction.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let objective = try AnalyticFunction(kind, dimension: dimension)
        let box = try searchBox(for: objective)
        let given = try start.map { try parseNumbers($0, option: "--from") }
        if let given {
            guard given.count == dimension else {
                throw ValidationError("--from has \(given.count) coordinates but --dimension is \(dimension)")
            }
            if let box, !box.contains(given) { throw ValidationError("--from lies outside the search box (--bounds)") }
        }
        let origin = given ?? (box == nil ? objective.customaryStart : nil)
        let problem = try Problem(function: objective, start: origin, box: box)
        let optimizer = try OptimizerRegistry.standard.make(optimizerOptions.specification())
        let configuration = RunConfiguration(
            stopping: stopping.plan(fallback: StoppingPlan(steps: 1000)).rules, recording: .everyStep, seed: common.seed,
            interruption: WeightLabCommand.watchForInterruption())
        var rows: [TraceRow] = []
        let result: RunResult
        do {
            result = try Self.run(optimizer, on: problem, configuration: configuration, from: origin) { rows.append($0.row) }
        } catch let error as WeightLabError where error.kind == .interrupted {
            throw try interrupted(rows: rows)
        }
        if let trace { try result.trace.writeCSV(to: URL(fileURLWithPath: trace)) }
        let loss = try objective.loss(at: result.weights, on: .empty)
        if common.json {
            try printJSON([
                "function": .string(kind.rawValue),
                "optimizer": .string(result.optimizer),
                "x": .list(result.weights.map { .number(finite: $0) }),
                "loss": .number(finite: loss),
                "minimum": .number(Double(objective.minimum)),
                "bounds": .list(box.map { [.number(finite: $0.lower[0]), .number(finite: $0.upper[0])] } ?? []),
                "steps": .number(Double(result.steps)),
                "cost_units": .number(Double(result.costUnits)),
                "wall_seconds": .number(result.wallSeconds),
                "step_seconds": .number(result.stepSeconds),
                "status": .string(result.status.description),
            ])
        } else {
            print("\(kind.rawValue) in \(dimension) dimensions, optimizer \(result.optimizer): \(result.status)")
            print("x      \(result.weights.map { String(format: "%.6g", $0) }.joined(separator: ", "))")
            print(String(format: "loss   %.6g (minimum %.6g)", loss, objective.minimum))
            print("steps  \(result.steps), \(result.costUnits) cost units, \(String(format: "%.2f", result.wallSeconds)) s")
        }
    }

    /// Runs `optimizer` as its own type: the `any WeightOptimizer` the registry made is opened
    /// here rather than wrapped in `AnyWeightOptimizer`, which exists for what must store it.
    private static func run<Optimizer: WeightOptimizer>(
        _ optimizer: Optimizer, on problem: Problem, configuration: RunConfiguration, from origin: [Float]?,
        onRecord: (RunProgress) -> Void
    ) throws -> RunResult {
        try Trainer(optimizer, on: problem, configuration: configuration).run(from: origin, onRecord: onRecord)
    }

    /// The error of a run stopped by a signal, after writing the trace of its steps (every step
    /// is a row): optimize keeps no checkpoint, so the message says that nothing resumes.
    private func interrupted(rows: [TraceRow]) throws -> WeightLabError {
        let signal = Interruption.name(of: WeightLabCommand.interruption.signal ?? SIGINT)
        let last = rows.last.map { String(format: "step %d, loss %.6g", $0.step, $0.loss) } ?? "before the first step"
        var written = "nothing was written (--trace FILE keeps the trace)"
        if let trace {
            try Trace(rows: rows).writeCSV(to: URL(fileURLWithPath: trace))
            written = "the trace of its \(rows.count) steps was written to \(trace)"
        }
        return WeightLabError(.interrupted, "\(signal) at \(last): optimize keeps no checkpoint, so nothing resumes; \(written)")
    }

    /// The box `--bounds` names: the function's standard domain when absent, none for `none`.
    private func searchBox(for objective: AnalyticFunction) throws -> SearchBox? {
        guard let bounds else { return objective.standardBox }
        if bounds == "none" { return nil }
        let pair = try parseNumbers(bounds, option: "--bounds")
        guard pair.count == 2, pair[0] < pair[1] else {
            throw ValidationError("--bounds takes LOW,HIGH with LOW < HIGH, got '\(bounds)'")
        }
        return try SearchBox(low: pair[0], high: pair[1], dimension: dimension)
    }
}
