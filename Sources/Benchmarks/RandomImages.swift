import WeightLab

/// Stand-in data of Fashion-MNIST's shape (784 pixels in [0, 1), 10 classes) for benchmarks
/// run where the data set is not installed, or where only the shape matters.
func randomImages(_ count: Int, rng: inout RandomStream) -> Samples {
    let features = (0..<(count * 784)).map { _ in rng.uniform() }
    let labels = (0..<count).map { _ in Int32(rng.index(below: 10)) }
    return Samples(features: features, featureCount: 784, labels: labels)
}
