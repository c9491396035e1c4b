import ArgumentParser
import Foundation
import WeightLab

/// `weightlab demo`: trains a network on real data and prints its accuracy.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train a network on real data (Fashion-MNIST, else the embedded digits) and print its test accuracy.")

    mutating func run() throws {
        let installed = FileManager.default.fileExists(atPath: Dataset.fashionMNISTDirectory)
        let dataset = installed ? "fashion-mnist" : "digits"
        let epochs = installed ? "3" : "30"
        print("Adam on \(dataset), MLP with hidden layers 256-128, \(epochs) epochs")
        var train = try TrainCommand.parse([
            "--dataset", dataset, "--hidden", "256,128", "--optimizer", "adam", "--epochs", epochs,
        ])
        try train.run()
    }
}
