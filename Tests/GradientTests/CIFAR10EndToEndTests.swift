import Foundation
import Testing
import WeightLabCore
import WeightLabGradient

/// CIFAR-10 through the whole path, on binary files written here (these machines have no copy):
/// the loader, a CNN from the layer grammar, augmented mini-batches, Adam, then the weights saved
/// in both formats and read back.
@Suite struct CIFAR10EndToEndTests {
    /// Six batch files of `perFile` records: class k (of 3) is a noisy image whose channel k is
    /// brighter, a signal that survives crops and flips.
    func writeFiles(to directory: URL, perFile: Int) throws {
        var rng = RandomStream(seed: 21)
        for file in CIFAR10.trainingFiles + [CIFAR10.testFile] {
            var bytes: [UInt8] = []
            for item in 0..<perFile {
                let label = item % 3
                bytes.append(UInt8(label))
                for channel in 0..<3 {
                    for _ in 0..<1024 {
                        let base: Float = channel == label ? 150 : 90
                        bytes.append(UInt8(max(0, min(255, base + 60 * rng.uniform(-1, 1)))))
                    }
                }
            }
            try Data(bytes).write(to: directory.appendingPathComponent(file))
        }
    }

    @Test func trainsACNNWithAugmentationAndReloadsItsWeights() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weightlab-cifar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try writeFiles(to: directory, perFile: 24)

        let data = try Dataset.named("cifar10:\(directory.path)")
        #expect(data.imageShape == ImageShape(height: 32, width: 32, channels: 3))
        let network = try LayerGrammar(parsing: "conv(4, 3, stride: 2, padding: same), relu, maxpool(2), conv(8, 3, padding: same), relu, globalavgpool")
            .network(inputWidth: data.featureCount, imageShape: data.imageShape, outputs: 10)
        let objective = NetworkObjective(network: network)
        let augmentation = try TrainingAugmentation(parsing: "crop(4), flip, erase(0.5)", for: data)
        let problem = try Problem(objective: objective, training: data.train, batchSize: 16, rng: RandomStream(seed: 5), augmentation: augmentation) { rng in
            network.initialWeights(.heNormal, rng: &rng)
        }
        let result = try Trainer(Adam(learningRate: 0.02), on: problem, configuration: RunConfiguration(stopping: [.steps(150)], test: data.test, seed: 2)).run()
        let accuracy = try #require(result.test?.accuracy)
        #expect(accuracy >= 0.9, "the colour signal is learnable: test accuracy \(accuracy)")

        let own = directory.appendingPathComponent("cnn.weights").path
        try WeightsFile.write(result.weights, of: network, to: own)
        let (header, weights) = try WeightsFile.read(own)
        #expect(weights == result.weights)
        #expect(header.imageShape == data.imageShape)
        let rebuilt = try Network(inputWidth: header.inputWidth, layers: LayerGrammar(items: header.layers, context: "header").layers, imageShape: header.imageShape)
        #expect(rebuilt == network)
        #expect(try NetworkObjective(network: rebuilt).evaluate(weights, on: data.test) == objective.evaluate(result.weights, on: data.test))

        let numpy = directory.appendingPathComponent("cnn.npy").path
        try WeightsFile.write(result.weights, of: network, to: numpy)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: numpy)))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let text = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(text.contains("'shape': (\(network.parameterCount),)"))
        let floats = stride(from: 10 + headerLength, to: bytes.count, by: 4).map { offset in
            Float(bitPattern: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
        }
        #expect(floats == result.weights)
    }
}
