import Foundation
import Testing
import WeightLabCore

/// One CIFAR-10 record: `label`, then 1,024 bytes of each channel (red `r`, green `g`, blue
/// `b`), except pixel (row 1, column 2) of each channel, which is `r + 1`, `g + 1`, `b + 1`.
private func record(label: UInt8, r: UInt8, g: UInt8, b: UInt8) -> [UInt8] {
    var bytes = [label]
    for value in [r, g, b] {
        var plane = [UInt8](repeating: value, count: 1024)
        plane[1 * 32 + 2] = value + 1
        bytes += plane
    }
    return bytes
}

/// Writes the six batch files, two records each, labels counting up from the file's number.
private func writeCIFARDirectory(_ directory: TemporaryDirectory) throws {
    for (k, file) in (CIFAR10.trainingFiles + [CIFAR10.testFile]).enumerated() {
        let bytes = record(label: UInt8(k), r: 10, g: 20, b: 30) + record(label: UInt8(k + 1) % 10, r: 0, g: 254, b: 100)
        try directory.write(bytes, to: file)
    }
}

@Suite("CIFAR-10 loader")
struct DataCIFAR10Tests {
    @Test("records read as label + channel planes, stored channels-last and scaled by 1/255, training batches in order")
    func readsBatches() throws {
        let directory = try TemporaryDirectory()
        try writeCIFARDirectory(directory)
        let data = try Dataset.cifar10(directory: directory.path)
        #expect(data.train.count == 10 && data.test.count == 2)
        #expect(data.featureShape == [32, 32, 3] && data.classCount == 10)
        #expect(data.imageShape == ImageShape(height: 32, width: 32, channels: 3))
        #expect(data.train.labels == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5])
        #expect(data.test.labels == [5, 6])
        let first = Array(data.train.features.prefix(3072))
        #expect(first[0] == Float(10) / 255 && first[1] == Float(20) / 255 && first[2] == Float(30) / 255)
        #expect(first[34 * 3] == Float(11) / 255 && first[34 * 3 + 1] == Float(21) / 255 && first[34 * 3 + 2] == Float(31) / 255)
        let second = Array(data.train.features[3072..<6144])
        #expect(second[0] == 0 && second[34 * 3 + 1] == 1 && second[1023 * 3 + 1] == Float(254) / 255 && second[3071] == Float(100) / 255)
    }

    @Test("a file whose size is not a multiple of 3073 is an error naming it")
    func rejectsPartialRecord() throws {
        let directory = try TemporaryDirectory()
        try writeCIFARDirectory(directory)
        let path = try directory.write(record(label: 1, r: 0, g: 0, b: 0) + [1, 2, 3], to: "data_batch_4.bin")
        expectError(mentioning: [path, "3076 bytes is not a whole number of CIFAR-10 records of 3073 bytes", "3 bytes left over"]) {
            try Dataset.cifar10(directory: directory.path)
        }
        let empty = try directory.write([], to: "empty.bin")
        expectError(mentioning: [empty, "0 bytes"]) { try CIFAR10.readBatch(at: empty) }
    }

    @Test("a label byte above 9 is an error naming the record")
    func rejectsBadLabel() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(record(label: 3, r: 0, g: 0, b: 0) + record(label: 12, r: 0, g: 0, b: 0), to: "bad.bin")
        expectError(mentioning: [path, "label 12 of record 1"]) { try CIFAR10.readBatch(at: path) }
    }

    @Test("a missing batch file is named")
    func reportsMissingFile() throws {
        let directory = try TemporaryDirectory()
        try writeCIFARDirectory(directory)
        try FileManager.default.removeItem(atPath: (directory.path as NSString).appendingPathComponent("data_batch_3.bin"))
        expectError(mentioning: ["data_batch_3.bin is missing"]) { try Dataset.cifar10(directory: directory.path) }
    }
}
