import Testing
import WeightLabCore
import WeightLabTestSupport

/// Two features per sample: training rows (1, 10), (3, 10), (5, 40); mean (3, 20), population
/// standard deviation (√(8/3), √200), range [1, 5] × [10, 40].
private let training = Samples(features: [1, 10, 3, 10, 5, 40], featureCount: 2, labels: [0, 1, 0])

@Suite("Standardization and min-max scaling")
struct DataScalingTests {
    @Test("the standardizer's statistics, worked by hand")
    func standardizerStatistics() throws {
        let scaler = try Standardizer(fittingOn: training)
        #expect(scaler.mean == [3, 20])
        #expect(abs(scaler.standardDeviation[0] - (8.0 / 3.0).squareRoot()) < 1e-6)
        #expect(abs(scaler.standardDeviation[1] - Float(200).squareRoot()) < 1e-5)
        let scaled = try scaler.applied(to: training)
        let (s0, s1) = (Float(8.0 / 3.0).squareRoot(), Float(200).squareRoot())
        let expected: [Float] = [-2 / s0, -10 / s1, 0, -10 / s1, 2 / s0, 20 / s1]
        for (a, b) in zip(scaled.features, expected) { #expect(isApproximatelyEqual(a, b, absolute: 1e-5)) }
        #expect(scaled.labels == training.labels)
    }

    @Test("min-max scaling maps the training range to [0, 1] and does not clip held-out values")
    func minMax() throws {
        let scaler = try MinMaxScaler(fittingOn: training)
        #expect(scaler.minimum == [1, 10] && scaler.maximum == [5, 40])
        #expect(try scaler.applied(to: training).features == [0, 0, 0.5, 0, 1, 1])
        let heldOut = Samples(features: [9, -20], featureCount: 2, labels: [1])
        #expect(try scaler.applied(to: heldOut).features == [2, -1])
    }

    @Test("constant features are only shifted")
    func constantFeatures() throws {
        let flat = Samples(features: [7, 1, 7, 2], featureCount: 2, labels: [0, 0])
        #expect(try Standardizer(fittingOn: flat).applied(to: flat).features == [0, -1, 0, 1])
        #expect(try MinMaxScaler(fittingOn: flat).applied(to: flat).features == [0, 0, 0, 1])
    }

    @Test("scaling a data set fits on training samples only: held-out statistics do not leak")
    func noLeak() throws {
        let quiet = Samples(features: [2, 20], featureCount: 2, labels: [1])
        let loud = Samples(features: [1000, -5000, 300, 7], featureCount: 2, labels: [0, 1])
        let a = try Dataset(name: "a", train: training, validation: quiet, test: quiet, classCount: 2, featureShape: [2])
        let b = try Dataset(name: "b", train: training, validation: loud, test: loud, classCount: 2, featureShape: [2])
        let (scaledA, scalerA) = try a.scaled(by: Standardizer.self)
        let (scaledB, scalerB) = try b.scaled(by: Standardizer.self)
        #expect(scalerA == scalerB)
        #expect(scalerA == (try Standardizer(fittingOn: training)))
        #expect(scaledA.train == scaledB.train)
        // The test split is scaled with the training statistics: (1000 − 3)/σ₀, (−5000 − 20)/σ₁.
        let sigma0 = (8.0 / 3.0).squareRoot()
        let sigma1 = 200.0.squareRoot()
        #expect(abs(Double(scaledB.test.features[0]) - 997 / sigma0) < 1e-3)
        #expect(abs(Double(scaledB.test.features[1]) + 5020 / sigma1) < 1e-3)
        #expect(scaledB.validation == scaledB.test)
        let (minMaxed, minMax) = try b.scaled(by: MinMaxScaler.self)
        #expect(minMax.minimum == [1, 10] && minMax.maximum == [5, 40])
        let expected: [Float] = [999.0 / 4, -5010.0 / 30, 299.0 / 4, -3.0 / 30]
        for (a, b) in zip(minMaxed.test.features, expected) { #expect(abs(a - b) <= 1e-6 * abs(b)) }
    }

    @Test("a split then scaled data set: training features standardized exactly, test features with the training statistics")
    func splitThenScale() throws {
        let data = try Dataset.synthetic(.gaussianBlobs(classes: 3, dimensions: 2), trainCount: 300, testCount: 0)
        let parts = try data.train.stratifiedSplit(testFraction: 0.3, rng: RandomStream(seed: 1))
        let split = try Dataset(name: "blobs", train: parts.train, test: parts.test, classCount: 3, featureShape: [2])
        let (scaled, _) = try split.scaled(by: Standardizer.self)
        func meanAndDeviation(_ s: Samples, _ j: Int) -> (Double, Double) {
            let column = stride(from: j, to: s.features.count, by: 2).map { Double(s.features[$0]) }
            let mean = column.reduce(0, +) / Double(column.count)
            return (mean, (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)).squareRoot())
        }
        for j in 0..<2 {
            let (mean, deviation) = meanAndDeviation(scaled.train, j)
            #expect(abs(mean) < 1e-5 && abs(deviation - 1) < 1e-5)
            let (trainMean, trainDeviation) = meanAndDeviation(parts.train, j)
            for i in stride(from: j, to: parts.test.features.count, by: 2) {
                let expected = (Double(parts.test.features[i]) - trainMean) / trainDeviation
                #expect(abs(Double(scaled.test.features[i]) - expected) < 1e-4)
            }
            #expect(abs(meanAndDeviation(scaled.test, j).0) > 1e-3, "the test split is not centred on its own mean")
        }
    }

    @Test("fitting on empty or non-finite data and applying to another width are errors")
    func errors() throws {
        expectError(mentioning: ["empty"]) { try Standardizer(fittingOn: Samples(features: [], featureCount: 2, labels: [])) }
        let nan = Samples(features: [1, .nan], featureCount: 2, labels: [0])
        expectError(mentioning: ["sample 0, feature 1 is nan"]) { try MinMaxScaler(fittingOn: nan) }
        let scaler = try Standardizer(fittingOn: training)
        expectError(mentioning: ["expected 2, got 3"]) { try scaler.applied(to: Samples(features: [1, 2, 3], featureCount: 3, labels: [0])) }
    }
}
