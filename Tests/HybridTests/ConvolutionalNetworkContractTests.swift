import Foundation
import Testing
import WeightLabCore
@testable import WeightLabHybrid

/// Every registered optimizer and combiner trains a CNN unchanged: the network core hides the
/// layers behind the same `Objective` and `Problem`. principal-subspace alone refuses, naming why.
@Suite struct ConvolutionalNetworkContractTests {
    /// A tiny CNN on 6×6 images of 3 classes (each class brighter in another quadrant), with
    /// augmented mini-batches of 12.
    static func problem() throws -> (Problem, Samples) {
        var rng = RandomStream(seed: 3)
        func images(_ count: Int) -> Samples {
            var features: [Float] = []
            var labels: [Int32] = []
            for i in 0..<count {
                let label = i % 3
                for row in 0..<6 {
                    for column in 0..<6 {
                        let quadrant = (row / 3) * 2 + column / 3
                        features.append((quadrant == label ? 0.8 : 0.2) + 0.1 * rng.normal())
                    }
                }
                labels.append(Int32(label))
            }
            return Samples(features: features, featureCount: 36, labels: labels)
        }
        let shape = ImageShape(height: 6, width: 6, channels: 1)
        let network = try LayerGrammar(parsing: "conv(3, 3, padding: same), relu, maxpool(2), dense(6), tanh")
            .network(inputWidth: 36, imageShape: shape, outputs: 3)
        let problem = try Problem(
            objective: NetworkObjective(network: network), training: images(60), batchSize: 12, fitnessSamples: .resampled(size: 30),
            rng: RandomStream(seed: 4), augmentation: TrainingAugmentation(try Augmentation(parsing: "crop(1)"), shape: shape)
        ) { rng in network.initialWeights(.heNormal, rng: &rng) }
        return (problem, images(30))
    }

    /// A runnable specification for each registered name: its defaults, small populations, and
    /// parts for the combiners.
    static func specification(_ name: String) -> String {
        switch name {
        case "sequential": #"{"optimizer": "sequential", "parts": [{"optimizer": "snes", "populationSize": 6, "until": {"steps": 3}}, {"optimizer": "adam"}]}"#
        case "memetic": #"{"optimizer": "memetic", "population": {"optimizer": "ga", "populationSize": 4}, "local": {"optimizer": "adam", "steps": 2}}"#
        case "esgd": #"{"optimizer": "esgd", "trainer": {"optimizer": "adam"}, "populationSize": 3, "interval": 2}"#
        case "pbt": #"{"optimizer": "pbt", "trainer": {"optimizer": "adam"}, "populationSize": 3, "interval": 2}"#
        case "portfolio": #"{"optimizer": "portfolio", "budget": 20000, "parts": [{"optimizer": "adam"}, {"optimizer": "pgpe", "populationSize": 6}]}"#
        case "islands": #"{"optimizer": "islands", "islands": 2, "migrants": 1, "interval": 2, "island": {"optimizer": "ga", "populationSize": 4}}"#
        case "ipop": #"{"optimizer": "ipop", "inner": {"optimizer": "cma-es", "populationSize": 4}, "restarts": 1}"#
        case "principal-subspace": #"{"optimizer": "principal-subspace", "components": 4, "inner": {"optimizer": "adam"}}"#
        case "ga", "pso", "de", "cma-es", "sep-cma-es", "openai-es", "pgpe", "snes": #"{"optimizer": "\#(name)", "populationSize": 6}"#
        default: #"{"optimizer": "\#(name)"}"#
        }
    }

    @Test(arguments: registry.names)
    func trainsACNN(_ name: String) throws {
        let (problem, test) = try Self.problem()
        let configuration = RunConfiguration(stopping: [.steps(8)], test: test, seed: 1)
        let trainer = try Trainer(try optimizer(Self.specification(name)), on: problem, configuration: configuration)
        if name == "principal-subspace" {
            let error = try #require(weightLabError { _ = try trainer.run() })
            #expect(error.message.contains("first layer is dense"), "\(error.message)")
            return
        }
        let result = try trainer.run()
        #expect(result.weights.count == problem.dimension && result.weights.allSatisfy(\.isFinite), "\(name)")
        #expect(result.costUnits > 0 && (result.test?.loss.isFinite ?? false), "\(name)")
    }
}

private func weightLabError(_ body: () throws -> Void) -> WeightLabError? {
    do { try body() } catch let error as WeightLabError { return error } catch { return nil }
    return nil
}
