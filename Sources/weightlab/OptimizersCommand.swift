import ArgumentParser
import WeightLab

/// `weightlab optimizers [NAME]`: the registered optimizer names, or one optimizer's parameters.
struct OptimizersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimizers",
        abstract: "List every registered optimizer by family, or describe one.",
        discussion: "With a NAME, prints every parameter of that optimizer with its default, allowed values and meaning, from the parameters' declarations (the tables in docs/ are the same).")

    @Argument(help: "An optimizer to describe (for example adam or ga).")
    var name: String?

    func run() throws {
        guard let name else {
            for entry in OptimizerRegistry.standard.all {
                print("\(entry.family.padding(toLength: 13, withPad: " ", startingAt: 0)) \(entry.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(entry.summary)")
            }
            return
        }
        guard let entry = OptimizerRegistry.standard.entry(name) else {
            throw ValidationError("unknown optimizer '\(name)'; known: \(OptimizerRegistry.standard.names.joined(separator: ", "))")
        }
        print("\(entry.name) (\(entry.family)): \(entry.summary)\n")
        print(ParameterInfo.table(entry.parameters))
    }
}
