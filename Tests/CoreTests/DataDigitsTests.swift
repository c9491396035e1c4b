import Testing
import WeightLabCore

@Suite("Embedded digits")
struct DataDigitsTests {
    @Test("1,797 8×8 images in 10 classes with the published class sizes, pixels v/16 in [0, 1]")
    func contents() throws {
        let data = try Dataset.digits()
        #expect(data.train.count + data.test.count == 1_797)
        #expect(data.featureShape == [8, 8] && data.train.featureCount == 64 && data.classCount == 10)
        let counts = zip(classCounts(data.train, classCount: 10), classCounts(data.test, classCount: 10)).map { $0 + $1 }
        // np.bincount(sklearn.datasets.load_digits().target)
        #expect(counts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        let pixels = data.train.features + data.test.features
        #expect(pixels.min() == 0 && pixels.max() == 1)
        #expect(pixels.allSatisfy { ($0 * 16).rounded() == $0 * 16 })
    }

    @Test("the file's first row (a zero) is among the samples, scaled by 1/16")
    func firstRow() throws {
        let data = try Dataset.digits()
        let row: [Float] = [
            0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0,
            0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0,
        ].map { $0 / 16 }
        let matches = [data.train, data.test].flatMap { samples in
            (0..<samples.count).filter { Array(samples.features[$0 * 64..<($0 + 1) * 64]) == row }.map { samples.labels[$0] }
        }
        #expect(matches == [0])
    }

    @Test("the default split holds out a stratified fifth, the same for the same stream")
    func split() throws {
        let data = try Dataset.digits()
        #expect(data.test.count == 359)  // round(1797 · 0.2)
        let sizes = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        for (count, size) in zip(classCounts(data.test, classCount: 10), sizes) {
            #expect(abs(Double(count) - Double(size) * 0.2) < 1)
        }
        #expect(try Dataset.digits() == data)
        #expect(try Dataset.digits(rng: RandomStream(seed: 1)).test != data.test)
    }
}
