import ArgumentParser
import WeightLab

/// `weightlab optimizers`: the registered optimizer names.
struct OptimizersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimizers", abstract: "List every registered optimizer by family.")

    func run() {
        for entry in OptimizerRegistry.standard.all {
            print("\(entry.family.padding(toLength: 13, withPad: " ", startingAt: 0)) \(entry.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(entry.summary)")
        }
    }
}
