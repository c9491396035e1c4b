import Foundation
import Testing
import WeightLabCore
@testable import WeightLabExperiments

private let digitsCNN = """
    name: digits-cnn
    dataset: {name: digits, validation: 0.1}
    network: {layers: "conv(4, 3, padding: same), tanh, maxpool(2), dense(16), tanh", augment: "crop(1)"}
    optimizer: {optimizer: plain-descent, learningRate: 0.3}
    budget: {epochs: 3}
    batchSize: 32
    seeds: 1
    variants:
      - name: string
      - name: list
        network: {layers: ["conv(4, 3, padding: same)", tanh, maxpool(2), dense(16), tanh], augment: [crop(1)]}
    """

/// `network.layers` and `network.augment` in experiment specs: read as the CLI reads them,
/// checked against the data set before any run, and run through the real executor.
@Suite(.serialized) struct ConvolutionSpecTests {
    @Test func aStringAndAListOfItemsGiveTheSameNetwork() throws {
        let experiment = try spec(digitsCNN)
        let string = try #require(experiment.variant(named: "string"))
        let list = try #require(experiment.variant(named: "list"))
        #expect(string.network.layers?.layers == list.network.layers?.layers)
        #expect(string.network.augmentation == list.network.augmentation)
        let network = try string.network.network(inputs: 64, imageShape: ImageShape(height: 8, width: 8, channels: 1), outputs: 10)
        #expect(network.layers.first == .convolution(Convolution(filters: 4, kernel: 3, padding: .same)))
        #expect(string.setup.contains("conv(4, 3, padding: same), tanh, maxpool(2), dense(16), tanh · augment crop(1)"), "\(string.setup)")
    }

    @Test func aCNNExperimentRunsWithAugmentation() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let experiment = try spec(digitsCNN)
        let outcome = try ExperimentRunner(
            spec: experiment, store: ResultStore(directory: directory, rendersPNG: false),
            executor: NetworkTrialExecutor(registry: testRegistry()), options: .init(jobs: 1, cores: 2)
        ).run()
        #expect(outcome.ran == 2 && outcome.failures.isEmpty, "\(outcome.failures)")
        let accuracy = try #require(outcome.reports.summary.row("string")?.estimates[.testAccuracy])
        #expect(accuracy.mean > 0.5, "a small CNN learns the digits in 3 epochs: \(accuracy.mean)")
    }

    @Test func badItemsAreErrorsNamingTheLineAndTheItem() {
        expectError(startingWith: "x.yaml:3: network.layers item 2, 'tanhx'") {
            _ = try spec(digitsCNN.replacingOccurrences(of: "padding: same), tanh, max", with: "padding: same), tanhx, max"))
        }
        expectError(startingWith: "x.yaml:3: network.hidden: not used with network.layers") {
            _ = try spec(digitsCNN.replacingOccurrences(of: "augment: \"crop(1)\"}", with: "augment: \"crop(1)\", hidden: [3]}"))
        }
        expectError(startingWith: "x.yaml:3: network.augment item 1, 'zoom(2)'") {
            _ = try spec(digitsCNN.replacingOccurrences(of: "augment: \"crop(1)\"}", with: "augment: \"zoom(2)\"}"))
        }
    }

    @Test func aConvolutionOnTabularDataIsReportedBeforeRunning() throws {
        let experiment = try spec(digitsCNN.replacingOccurrences(of: "name: digits, validation: 0.1", with: "name: moons, samples: 100"))
        expectError(startingWith: "variant 'string': network.layers item 1, conv(4, 3, padding: same): needs an image input") {
            try NetworkTrialExecutor(registry: testRegistry()).prepare(experiment.variants)
        }
    }
}
