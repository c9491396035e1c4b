import Foundation

/// The CIFAR-10 binary format (Krizhevsky, "Learning Multiple Layers of Features from Tiny
/// Images", 2009; the "binary version" on the data set's page): records of one label byte
/// (0–9) and 3,072 pixel bytes, the 1,024 red values of a 32×32 image row by row, then the green,
/// then the blue. A file holds whole records only. WeightLab stores the images channels-last
/// (row, column, channel), as every image data set, so pixels are interleaved when read.
public enum CIFAR10 {
    /// Bytes per record: 1 label + 3 × 32 × 32 pixels.
    public static let recordSize = 3073
    /// The shape of one image's features: row, column, channel (channels-last).
    public static let imageShape = [32, 32, 3]
    /// The training files, in order, and the test file.
    public static let trainingFiles = (1...5).map { "data_batch_\($0).bin" }
    public static let testFile = "test_batch.bin"
    /// The ten classes, indexed by label.
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    /// The records of one binary batch file (raw or gzip), pixels scaled to p / 255.
    public static func readBatch(at path: String) throws -> Samples {
        let bytes = try FileBytes.read(path)
        guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
            throw WeightLabError(
                .data,
                "\(path): \(bytes.count) bytes is not a whole number of CIFAR-10 records of \(recordSize) bytes (1 label + 3072 pixels); \(bytes.count % recordSize) bytes left over after \(bytes.count / recordSize) records")
        }
        let count = bytes.count / recordSize
        let pixelsPerImage = recordSize - 1
        var labels = [Int32](repeating: 0, count: count)
        let features = try [Float](unsafeUninitializedCapacity: count * pixelsPerImage) { out, initialized in
            try bytes.withUnsafeBufferPointer { records in
                for item in 0..<count {
                    let start = item * recordSize
                    guard records[start] < 10 else {
                        throw WeightLabError(.data, "\(path): label \(records[start]) of record \(item) (byte \(start)) is outside 0..<10")
                    }
                    labels[item] = Int32(records[start])
                    let pixels = UnsafeBufferPointer(rebasing: records[(start + 1)..<(start + recordSize)])
                    if let destination = out.baseAddress { interleave(pixels, into: destination + item * pixelsPerImage) }
                }
            }
            initialized = count * pixelsPerImage
        }
        return Samples(features: features, featureCount: pixelsPerImage, labels: labels)
    }

    /// One record's planes (all red, all green, all blue) as channels-last pixels p / 255.
    private static func interleave(_ planes: UnsafeBufferPointer<UInt8>, into pixels: UnsafeMutablePointer<Float>) {
        let area = 32 * 32
        for position in 0..<area {
            for channel in 0..<3 { pixels[position * 3 + channel] = Float(planes[channel * area + position]) / 255 }
        }
    }
}

extension Dataset {
    /// CIFAR-10 from the binary files in `directory` (`data_batch_1.bin` ... `data_batch_5.bin`
    /// for training, `test_batch.bin` for test; the folder `cifar-10-batches-bin` of the
    /// official archive): 32×32 colour images in 10 classes, features [32, 32, 3] (channels-last) in [0, 1].
    public static func cifar10(directory: String) throws -> Dataset {
        func batch(_ file: String) throws -> Samples {
            let path = (directory as NSString).appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: path) else {
                throw WeightLabError(
                    .io, "cifar-10: \(path) is missing; the binary version of CIFAR-10 (cifar-10-binary.tar.gz) holds it in cifar-10-batches-bin/")
            }
            return try CIFAR10.readBatch(at: path)
        }
        let parts = try CIFAR10.trainingFiles.map(batch)
        var features: [Float] = []
        features.reserveCapacity(parts.reduce(0) { $0 + $1.features.count })
        for part in parts { features += part.features }
        let train = Samples(features: features, featureCount: parts[0].featureCount, labels: parts.flatMap(\.labels))
        return try Dataset(
            name: "cifar-10", train: train, test: try batch(CIFAR10.testFile), classCount: 10,
            featureShape: CIFAR10.imageShape, classNames: CIFAR10.classNames)
    }
}
