import Foundation
import Testing
import WeightLabCore

/// Whether the Debian package `dataset-fashion-mnist` is installed here.
private let fashionMNISTInstalled = FileManager.default.fileExists(
    atPath: (Dataset.fashionMNISTDirectory as NSString).appendingPathComponent("train-images-idx3-ubyte.gz"))

/// Fashion-MNIST, read once for the whole suite (the debug build inflates 30 MB of gzip).
private let fashionMNIST = Result { try Dataset.fashionMNIST() }

@Suite("Fashion-MNIST, when installed", .enabled(if: fashionMNISTInstalled, "dataset-fashion-mnist is not installed"))
struct DataFashionMNISTTests {
    @Test("60,000 training and 10,000 test images of 28×28 pixels in 10 classes")
    func counts() throws {
        let data = try fashionMNIST.get()
        #expect(data.train.count == 60_000)
        #expect(data.test.count == 10_000)
        #expect(data.featureShape == [28, 28] && data.train.featureCount == 784)
        #expect(data.classCount == 10 && data.classNames?[9] == "Ankle boot")
    }

    @Test("the known class balance: 6,000 training and 1,000 test images per class")
    func classBalance() throws {
        let data = try fashionMNIST.get()
        #expect(classCounts(data.train, classCount: 10) == Array(repeating: 6_000, count: 10))
        #expect(classCounts(data.test, classCount: 10) == Array(repeating: 1_000, count: 10))
    }

    @Test("the first labels are those of the published files (ankle boot, T-shirt, T-shirt, dress)")
    func firstLabels() throws {
        let data = try fashionMNIST.get()
        #expect(Array(data.train.labels.prefix(4)) == [9, 0, 0, 3])
        #expect(Array(data.test.labels.prefix(4)) == [9, 2, 1, 1])
    }

    @Test("pixels lie in [0, 1] and the training pixel mean is about 0.286")
    func pixelStatistics() throws {
        let data = try fashionMNIST.get()
        var sum = 0.0
        var low = Float.infinity
        var high = -Float.infinity
        data.train.features.withUnsafeBufferPointer { pixels in
            for x in pixels {
                sum += Double(x)
                low = min(low, x)
                high = max(high, x)
            }
        }
        let mean = sum / Double(data.train.features.count)
        #expect(abs(mean - 0.286) <= 0.002, "training pixel mean \(mean)")
        #expect(low == 0 && high == 1)
    }
}
