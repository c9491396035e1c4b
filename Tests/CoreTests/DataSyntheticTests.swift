import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport

/// The rows of `samples` as arrays.
private func rows(_ samples: Samples) -> [[Float]] {
    (0..<samples.count).map { Array(samples.features[$0 * samples.featureCount..<($0 + 1) * samples.featureCount]) }
}

@Suite("Synthetic data sets")
struct DataSyntheticTests {
    @Test("noiseless two moons lie on their half circles, classes alternating")
    func twoMoons() throws {
        let data = try Dataset.synthetic(.twoMoons(noise: 0), trainCount: 200, testCount: 50)
        #expect(data.classCount == 2 && data.featureShape == [2] && data.test.count == 50)
        for (point, label) in zip(rows(data.train), data.train.labels) {
            let (x, y) = (point[0], point[1])
            if label == 0 {
                #expect(abs(x * x + y * y - 1) < 1e-5 && y >= 0)
            } else {
                #expect(abs((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5) - 1) < 1e-5 && y <= 0.5)
            }
        }
        #expect(data.train.labels.prefix(4) == [0, 1, 0, 1])
    }

    @Test("noiseless spirals: radius r at angle 2π·turns·r, the second class turned by π")
    func twoSpirals() throws {
        let turns: Float = 1.5
        let data = try Dataset.synthetic(.twoSpirals(turns: turns, noise: 0), trainCount: 300, testCount: 0)
        #expect(data.test.count == 0)
        for (point, label) in zip(rows(data.train), data.train.labels) {
            let sign: Float = label == 0 ? 1 : -1
            let (x, y) = (sign * point[0], sign * point[1])
            let r = (x * x + y * y).squareRoot()
            guard r > 1e-3 else { continue }
            let expected = 2 * Float.pi * turns * r
            // The angle of (x, y) and the expected angle differ by a whole number of turns.
            let difference = (atan2(y, x) - expected) / (2 * Float.pi)
            #expect(abs(difference - difference.rounded()) < 1e-3)
        }
    }

    @Test("noiseless XOR: class 1 exactly where the coordinates' signs differ")
    func xor() throws {
        let data = try Dataset.synthetic(.xor(noise: 0), trainCount: 400)
        for (point, label) in zip(rows(data.train), data.train.labels) {
            #expect(abs(point[0]) <= 1 && abs(point[1]) <= 1)
            #expect((label == 1) == ((point[0] < 0) != (point[1] < 0)))
        }
        #expect(classCounts(data.train, classCount: 2) == [200, 200])
    }

    @Test("blobs: train and test share their centres; each class spreads with the stated deviation")
    func gaussianBlobs() throws {
        let (classes, dimensions, spread): (Int, Int, Float) = (3, 4, 0.5)
        let data = try Dataset.synthetic(
            .gaussianBlobs(classes: classes, dimensions: dimensions, spread: spread), trainCount: 3000, testCount: 3000)
        #expect(data.name == "blobs-3x4" && data.classCount == 3 && data.featureShape == [4])
        func classMeans(_ samples: Samples) -> [[Double]] {
            var sums = [[Double]](repeating: [Double](repeating: 0, count: dimensions), count: classes)
            for (point, label) in zip(rows(samples), samples.labels) {
                for j in 0..<dimensions { sums[Int(label)][j] += Double(point[j]) }
            }
            return sums.map { $0.map { $0 / 1000 } }
        }
        let trainMeans = classMeans(data.train)
        let testMeans = classMeans(data.test)
        // Each mean of 1,000 draws has standard error 0.5/√1000 ≈ 0.016; allow 6 of them.
        for c in 0..<classes {
            for j in 0..<dimensions {
                #expect(isApproximatelyEqual(trainMeans[c][j], testMeans[c][j], absolute: 0.1))
                #expect(abs(trainMeans[c][j]) <= 10.1)
            }
        }
        var squares = 0.0
        for (point, label) in zip(rows(data.train), data.train.labels) {
            for j in 0..<dimensions { squares += pow(Double(point[j]) - trainMeans[Int(label)][j], 2) }
        }
        let deviation = (squares / Double(3000 * dimensions)).squareRoot()
        #expect(abs(deviation - Double(spread)) < 0.02)
    }

    @Test("sine regression: noiseless targets are sin x with x in [−π, π]")
    func sine() throws {
        let data = try Dataset.synthetic(.sine(noise: 0), trainCount: 100, testCount: 10)
        #expect(data.classCount == nil && data.train.targetWidth == 1 && data.featureShape == [1])
        for (x, y) in zip(data.train.features, data.train.targets) {
            #expect(abs(x) <= Float.pi && y == sin(x))
        }
        let noisy = try Dataset.synthetic(.sine(noise: 0.1), trainCount: 2000, testCount: 0)
        let residuals = zip(noisy.train.features, noisy.train.targets).map { Double($1 - sin($0)) }
        let deviation = (residuals.map { $0 * $0 }.reduce(0, +) / 2000).squareRoot()
        #expect(isApproximatelyEqual(deviation, 0.1, absolute: 0.01))
    }

    @Test("the same stream gives the same data set, another stream another")
    func seeded() throws {
        let a = try Dataset.synthetic(.twoMoons(), rng: RandomStream(seed: 7))
        #expect(try Dataset.synthetic(.twoMoons(), rng: RandomStream(seed: 7)) == a)
        #expect(try Dataset.synthetic(.twoMoons(), rng: RandomStream(seed: 8)).train != a.train)
        #expect(a.train != a.test)
    }

    @Test("invalid parameters are errors naming them")
    func invalidParameters() {
        expectError(mentioning: ["noise"]) { try Dataset.synthetic(.twoMoons(noise: -1)) }
        expectError(mentioning: ["turns"]) { try Dataset.synthetic(.twoSpirals(turns: 0)) }
        expectError(mentioning: ["classes"]) { try Dataset.synthetic(.gaussianBlobs(classes: 1, dimensions: 2)) }
        expectError(mentioning: ["dimensions"]) { try Dataset.synthetic(.gaussianBlobs(classes: 2, dimensions: 0)) }
        expectError(mentioning: ["trainCount"]) { try Dataset.synthetic(.xor(), trainCount: 0) }
    }
}
