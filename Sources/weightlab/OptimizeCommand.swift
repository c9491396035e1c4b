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
            """)

    @Option(help: "The function: \(AnalyticFunction.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var function: String = "rosenbrock"

    @Option(help: "The number of variables.")
    var dimension: Int = 2

    @Option(name: .customLong("from"), parsing: .unconditional, help: ArgumentHelp(
        "The start point, comma-separated (e.g. --from=-1.2,1); default the function's customary start.",
        valueName: "x1,x2,..."))
    var start: String?

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
        let origin = try start.map { try parseNumbers($0, option: "--from") } ?? objective.customaryStart
        guard origin.count == dimension else {
            throw ValidationError("--from has \(origin.count) coordinates but --dimension is \(dimension)")
        }
        let problem = try Problem(function: objective, start: origin)
        let optimizer = AnyWeightOptimizer(try OptimizerRegistry.standard.make(optimizerOptions.specification()))
        let configuration = RunConfiguration(stopping: stopping.plan(fallback: StoppingPlan(steps: 1000)).rules, recording: .everyStep, seed: common.seed)
        let display = ProgressDisplay(quiet: true)
        let result = try Trainer(optimizer, on: problem, configuration: configuration).run(from: origin, onRecord: display.show)
        if let trace { try result.trace.writeCSV(to: URL(fileURLWithPath: trace)) }
        let loss = try objective.loss(at: result.weights, on: .empty)
        if common.json {
            try printJSON([
                "function": kind.rawValue,
                "optimizer": result.optimizer,
                "x": result.weights.map { jsonNumber($0) },
                "loss": jsonNumber(loss),
                "minimum": Double(objective.minimum),
                "steps": result.steps,
                "cost_units": result.costUnits,
                "wall_seconds": result.wallSeconds,
                "step_seconds": result.stepSeconds,
                "status": result.status.description,
            ])
        } else {
            print("\(kind.rawValue) in \(dimension) dimensions, optimizer \(result.optimizer): \(result.status)")
            print("x      \(result.weights.map { String(format: "%.6g", $0) }.joined(separator: ", "))")
            print(String(format: "loss   %.6g (minimum %.6g)", loss, objective.minimum))
            print("steps  \(result.steps), \(result.costUnits) cost units, \(String(format: "%.2f", result.wallSeconds)) s")
        }
    }
}
