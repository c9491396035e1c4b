import ArgumentParser
import Foundation
import WeightLab

@main
struct WeightLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weightlab",
        abstract: "Optimize the weights of neural networks with gradient, evolutionary and hybrid methods.",
        subcommands: [TrainCommand.self, OptimizeCommand.self, OptimizersCommand.self, BenchCommand.self, RunCommand.self, MergeCommand.self])

    /// Parses and runs the command among the ranks `Cluster` starts (one without `mpirun`).
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: any ParsableCommand
        do {
            try Cluster.start(arguments: arguments)
            command = try parseAsRoot(arguments)
        } catch {
            Cluster.fail(error, inCommand: false)
        }
        do {
            try command.run()
        } catch {
            Cluster.fail(error, inCommand: true)
        }
        Cluster.finish()
    }
}
