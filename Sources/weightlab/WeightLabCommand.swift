import ArgumentParser
import WeightLab

@main
struct WeightLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weightlab",
        abstract: "Optimize the weights of neural networks with gradient, evolutionary and hybrid methods.",
        subcommands: [TrainCommand.self, OptimizeCommand.self, OptimizersCommand.self, BenchCommand.self, RunCommand.self, MergeCommand.self])
}
