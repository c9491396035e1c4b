import Foundation
import Testing
import WeightLabCore

/// Writes a small MNIST-style directory: `trainCount` and `testCount` 2×3 images whose pixel
/// bytes are 17·(item + position) mod 256 and labels item mod 10; `gzipped` picks the format.
private func writeIDXDirectory(
    _ directory: TemporaryDirectory, trainCount: Int = 4, testCount: Int = 3, gzipped: Bool, dotted: Bool = false
) throws {
    for (prefix, count) in [("train", trainCount), ("t10k", testCount)] {
        let pixels: [UInt8] = (0..<count * 6).map { (i: Int) -> UInt8 in UInt8(17 * (i / 6 + i % 6) % 256) }
        let labels: [UInt8] = (0..<count).map { (i: Int) -> UInt8 in UInt8(i % 10) }
        let files = [
            ("\(prefix)-images\(dotted ? "." : "-")idx3-ubyte", idxFile(dimensions: [count, 2, 3], payload: pixels)),
            ("\(prefix)-labels\(dotted ? "." : "-")idx1-ubyte", idxFile(dimensions: [count], payload: labels)),
        ]
        for (name, bytes) in files {
            try directory.write(gzipped ? gzip(bytes) : bytes, to: gzipped ? name + ".gz" : name)
        }
    }
}

@Suite("IDX loader")
struct DataIDXTests {
    @Test("gzip and raw IDX files give the same data set, pixels p/255 and labels as written")
    func readsGzipAndRaw() throws {
        let raw = try TemporaryDirectory()
        let packed = try TemporaryDirectory()
        try writeIDXDirectory(raw, gzipped: false)
        try writeIDXDirectory(packed, gzipped: true)
        let fromRaw = try Dataset.idx(directory: raw.path, name: "tiny")
        let fromGzip = try Dataset.idx(directory: packed.path, name: "tiny")
        #expect(fromRaw == fromGzip)
        #expect(fromRaw.train.count == 4 && fromRaw.test.count == 3)
        #expect(fromRaw.featureShape == [2, 3])
        #expect(fromRaw.train.labels == [0, 1, 2, 3])
        // Item 1, position 5: byte 17·6 = 102, and 102/255 = 0.4 exactly in real arithmetic.
        #expect(fromRaw.train.features[1 * 6 + 5] == Float(0.4))
        // Item 3, position 5: byte 17·8 = 136 → 136/255 = 8/15.
        #expect(fromRaw.train.features[3 * 6 + 5] == Float(8) / 15)
        #expect(fromRaw.train.features[0] == 0)
    }

    @Test("file names with a dot before idx (train-images.idx3-ubyte) are found")
    func readsDottedNames() throws {
        let directory = try TemporaryDirectory()
        try writeIDXDirectory(directory, gzipped: false, dotted: true)
        #expect(try Dataset.mnist(directory: directory.path).test.count == 3)
    }

    @Test("the lone readers give the same values as the data set")
    func readsSingleFiles() throws {
        let directory = try TemporaryDirectory()
        let images = try directory.write(idxFile(dimensions: [1, 1, 2], payload: [255, 51]), to: "images")
        let labels = try directory.write(idxFile(dimensions: [2], payload: [7, 200]), to: "labels")
        let read = try IDX.readImages(at: images)
        #expect(read.pixels == [1, Float(0.2)])
        #expect(read.imageShape == [1, 2])
        #expect(try IDX.readLabels(at: labels, classCount: nil) == [7, 200])
    }

    @Test("a wrong magic number is an error naming the file")
    func rejectsWrongMagic() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write([0x12, 0x34, 0x08, 0x01, 0, 0, 0, 1, 5], to: "bad-labels")
        expectError(mentioning: [path, "wrong magic number 0x12340801"]) { try IDX.readLabels(at: path, classCount: 10) }
    }

    @Test("an element type other than unsigned bytes is an error naming the type")
    func rejectsWrongElementType() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(idxFile(type: 0x0D, dimensions: [1, 1, 1], payload: [0, 0, 0, 0]), to: "floats")
        expectError(mentioning: [path, "element type 0x0D (32-bit float)", "expected 0x08"]) { try IDX.readImages(at: path) }
    }

    @Test("a dimension count that does not fit the file's role is an error")
    func rejectsDimensionCount() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(idxFile(dimensions: [2, 4], payload: Array(repeating: 1, count: 8)), to: "images-2d")
        expectError(mentioning: [path, "2 dimensions, expected 3"]) { try IDX.readImages(at: path) }
        let labels = try directory.write(idxFile(dimensions: [1, 1, 1], payload: [1]), to: "labels-3d")
        expectError(mentioning: [labels, "3 dimensions, expected 1"]) { try IDX.readLabels(at: labels, classCount: 10) }
    }

    @Test("a header claiming more items than the file holds is a truncation error, raw or gzipped")
    func rejectsTruncatedFile() throws {
        let directory = try TemporaryDirectory()
        let bytes = idxFile(dimensions: [5, 2, 2], payload: Array(repeating: 9, count: 12))
        let raw = try directory.write(bytes, to: "short")
        expectError(mentioning: [raw, "truncated", "claims 5 items of 4 bytes (20 bytes of data)", "holds 12"]) {
            try IDX.readImages(at: raw)
        }
        let packed = try directory.write(gzip(bytes), to: "short.gz")
        expectError(mentioning: [packed, "truncated", "claims 5 items"]) { try IDX.readImages(at: packed) }
    }

    @Test("bytes after the data the header describes are an error")
    func rejectsTrailingBytes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(idxFile(dimensions: [2], payload: [1, 2, 3]), to: "long")
        expectError(mentioning: [path, "1 bytes follow the 2 bytes of data"]) { try IDX.readLabels(at: path, classCount: nil) }
    }

    @Test("a header with a zero dimension or a cut-off header is an error")
    func rejectsDegenerateHeaders() throws {
        let directory = try TemporaryDirectory()
        let empty = try directory.write(idxFile(dimensions: [0], payload: []), to: "empty")
        expectError(mentioning: [empty, "is 0"]) { try IDX.readLabels(at: empty, classCount: nil) }
        let cut = try directory.write([0, 0, 8, 3, 0, 0], to: "cut")
        expectError(mentioning: [cut, "truncated header"]) { try IDX.readImages(at: cut) }
    }

    @Test("a gzip stream cut short is an error, whether data or only the trailer is missing")
    func rejectsTruncatedGzip() throws {
        let directory = try TemporaryDirectory()
        let packed = gzip(idxFile(dimensions: [64, 4, 4], payload: (0..<1024).map { UInt8($0 * 7 % 251) }))
        let halved = try directory.write(Array(packed.prefix(packed.count / 2)), to: "half.gz")
        expectError(mentioning: [halved, "truncated gzip stream"]) { try IDX.readImages(at: halved) }
        let noTrailer = try directory.write(Array(packed.dropLast(3)), to: "no-trailer.gz")
        expectError(mentioning: [noTrailer, "truncated gzip stream"]) { try IDX.readImages(at: noTrailer) }
    }

    @Test("a gzip member whose checksum does not match is a corruption error")
    func rejectsCorruptGzip() throws {
        let directory = try TemporaryDirectory()
        var packed = gzip(idxFile(dimensions: [16], payload: Array(repeating: 3, count: 16)))
        packed[packed.count - 8] ^= 0xFF  // first byte of the CRC-32 in the trailer
        let path = try directory.write(packed, to: "bad-crc.gz")
        expectError(mentioning: [path, "corrupt gzip data"]) { try IDX.readLabels(at: path, classCount: nil) }
    }

    @Test("image and label files with different counts are an error naming both files")
    func rejectsCountMismatch() throws {
        let directory = try TemporaryDirectory()
        try writeIDXDirectory(directory, gzipped: false)
        let labels = try directory.write(idxFile(dimensions: [3], payload: [0, 1, 2]), to: "train-labels-idx1-ubyte")
        let images = (directory.path as NSString).appendingPathComponent("train-images-idx3-ubyte")
        expectError(mentioning: [images, "4 images", labels, "3 labels"]) { try Dataset.mnist(directory: directory.path) }
    }

    @Test("labels outside 0..<classCount are an error naming the item; a larger stated class count accepts them")
    func rejectsLabelsOutsideClassCount() throws {
        let directory = try TemporaryDirectory()
        try writeIDXDirectory(directory, gzipped: false)
        let path = try directory.write(idxFile(dimensions: [4], payload: [0, 10, 2, 3]), to: "train-labels-idx1-ubyte")
        expectError(mentioning: [path, "label 10 of item 1 is outside 0..<10"]) { try Dataset.mnist(directory: directory.path) }
        let wider = try Dataset.idx(directory: directory.path, name: "eleven", classCount: 11)
        #expect(wider.classCount == 11 && wider.train.labels == [0, 10, 2, 3])
    }

    @Test("a missing file is named, and for Fashion-MNIST the package that provides it")
    func reportsMissingFiles() throws {
        let directory = try TemporaryDirectory()
        try writeIDXDirectory(directory, gzipped: true)
        try FileManager.default.removeItem(atPath: (directory.path as NSString).appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        expectError(mentioning: ["t10k-labels-idx1-ubyte.gz is missing", "apt-get install dataset-fashion-mnist"]) {
            try Dataset.fashionMNIST(directory: directory.path)
        }
        expectError(mentioning: ["mnist", "t10k-labels-idx1-ubyte.gz is missing"]) { try Dataset.mnist(directory: directory.path) }
        let nowhere = (directory.path as NSString).appendingPathComponent("absent")
        expectError(mentioning: [nowhere, "train-images-idx3-ubyte.gz is missing", "apt-get install dataset-fashion-mnist"]) {
            try Dataset.fashionMNIST(directory: nowhere)
        }
    }
}
