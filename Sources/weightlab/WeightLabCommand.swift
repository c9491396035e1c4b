import ArgumentParser
import Foundation
import WeightLab

@main
struct WeightLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weightlab",
        abstract: "Optimize the weights of neural networks with gradient, evolutionary and hybrid methods.",
        subcommands: [TrainCommand.self, OptimizeCommand.self, OptimizersCommand.self, BenchCommand.self, RunCommand.self, MergeCommand.self])

    /// SIGINT and SIGTERM during `train`, `run` and `optimize`: they watch for them (in a world
    /// of one) and stop at a step boundary; `main` exits with 128 + the signal's number.
    static let interruption = Interruption()

    /// Watches for SIGINT and SIGTERM when this process is the whole world (docs/reliability.md:
    /// under mpirun the ranks could read the request at different steps).
    static func watchForInterruption() -> Interruption? {
        guard Cluster.world.size == 1 else { return nil }
        interruption.watch()
        return interruption
    }

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
        } catch let error as WeightLabError where error.kind == .interrupted {
            FileHandle.standardError.write(Data("weightlab: \(error.message)\n".utf8))
            Foundation.exit(Interruption.exitStatus(for: interruption.signal ?? SIGINT))
        } catch {
            Cluster.fail(error, inCommand: true)
        }
        Cluster.finish()
    }
}
