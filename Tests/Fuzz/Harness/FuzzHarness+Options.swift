import WeightLab

extension FuzzHarness {
    /// The images the `--layers` and `--augment` targets work on.
    static let layersImage = ImageShape(height: 8, width: 8, channels: 1)
    static let augmentImage = ImageShape(height: 8, width: 8, channels: 2)

    /// `--layers text` as `train` reads it: the network on 8×8×1 images with a 10-class output,
    /// then, for networks of at most 50,000 weights (so one input stays well under the 1 s
    /// limit), the loss and gradient of two images.
    static func buildNetwork(_ text: String) throws {
        let network = try LayerGrammar(parsing: text).network(inputWidth: layersImage.count, imageShape: layersImage, outputs: 10)
        guard network.parameterCount <= 50_000 else { return }
        var rng = RandomStream(seed: 1)
        let weights = network.initialWeights(.heNormal, rng: &rng)
        let images = Samples(features: (0..<2 * layersImage.count).map { Float($0 % 7) / 7 }, featureCount: layersImage.count, labels: [3, 8])
        _ = try NetworkObjective(network: network).lossAndGradient(at: weights, on: images, rng: &rng)
    }

    /// `--augment text` as `train` reads it, applied to three 8×8×2 images.
    static func augment(_ text: String) throws {
        let augmentation = try Augmentation(parsing: text)
        var batch = Samples(features: (0..<3 * augmentImage.count).map(Float.init), featureCount: augmentImage.count, labels: [0, 1, 2])
        var rng = RandomStream(seed: 2)
        augmentation.apply(to: &batch, shape: augmentImage, rng: &rng)
    }
}
