import ArgumentParser
import WeightLab

/// `weightlab demo`: the headline comparison.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the headline comparison on real data.")

    mutating func run() throws {
        print("demo: not yet wired")
    }
}
