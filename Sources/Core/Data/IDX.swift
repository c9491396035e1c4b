/// Readers for IDX files, the format of MNIST and Fashion-MNIST (LeCun, Cortes & Burges,
/// "THE MNIST DATABASE of handwritten digits", file-format section), raw or gzip-compressed.
///
/// An IDX file is a header — two zero bytes, an element-type byte (0x08 for unsigned bytes,
/// the only type these data sets use), a dimension-count byte, then each dimension as a
/// big-endian UInt32 — followed by the elements in row-major order. Images are idx3
/// (items × rows × columns), labels idx1 (items). The whole file is checked: a wrong magic
/// number, element type or dimension count, a header claiming more (or less) data than the
/// file holds, and labels outside the class range are errors naming the file.
public enum IDX {
    /// The images of an idx3 file, each pixel byte p scaled to p / 255 in [0, 1], row-major
    /// `count × rows × columns`, and the shape of one image, [rows, columns].
    public static func readImages(at path: String) throws -> (pixels: [Float], imageShape: [Int]) {
        let file = try IDXFile(path: path, dimensionCount: 3, describing: "items × rows × columns")
        let pixels = file.withPayload { bytes in
            [Float](unsafeUninitializedCapacity: bytes.count) { out, initialized in
                if let start = out.baseAddress { PixelScaling.scale(bytes, into: start) }
                initialized = bytes.count
            }
        }
        return (pixels, Array(file.dimensions.dropFirst()))
    }

    /// The labels of an idx1 file; with a `classCount`, a label outside 0 ..< classCount is an
    /// error naming the item.
    public static func readLabels(at path: String, classCount: Int?) throws -> [Int32] {
        let file = try IDXFile(path: path, dimensionCount: 1, describing: "items")
        return try file.withPayload { bytes in
            if let classCount, let bad = bytes.firstIndex(where: { Int($0) >= classCount }) {
                throw WeightLabError(.data, "\(path): label \(bytes[bad]) of item \(bad) is outside 0..<\(classCount), the data set's class count")
            }
            return bytes.map { Int32($0) }
        }
    }
}

/// One IDX file of unsigned bytes, header checked.
struct IDXFile {
    let dimensions: [Int]
    private let bytes: [UInt8]
    private let headerSize: Int

    /// Element types the IDX format defines (the third magic byte).
    private static let elementTypes: [UInt8: String] = [
        0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "16-bit integer",
        0x0C: "32-bit integer", 0x0D: "32-bit float", 0x0E: "64-bit float",
    ]

    /// Reads and checks the file at `path`, expecting `dimensionCount` dimensions.
    init(path: String, dimensionCount: Int, describing layout: String) throws {
        bytes = try FileBytes.read(path)
        guard bytes.count >= 4 else {
            throw WeightLabError(.data, "\(path): truncated header: \(bytes.count) bytes, an IDX file starts with a 4-byte magic number")
        }
        guard bytes[0] == 0, bytes[1] == 0 else {
            let magic = bytes[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
            throw WeightLabError(
                .data,
                "\(path): wrong magic number 0x\(hex(magic, digits: 8)): an IDX file starts with two zero bytes, the element type and the dimension count")
        }
        guard bytes[2] == 0x08 else {
            let name = Self.elementTypes[bytes[2]].map { " (\($0))" } ?? " (not an IDX type)"
            throw WeightLabError(
                .data, "\(path): element type 0x\(hex(UInt32(bytes[2]), digits: 2))\(name) is not supported: expected 0x08 (unsigned byte)")
        }
        guard Int(bytes[3]) == dimensionCount else {
            throw WeightLabError(
                .data, "\(path): \(bytes[3]) dimensions, expected \(dimensionCount) (\(layout))")
        }
        headerSize = 4 + 4 * dimensionCount
        guard bytes.count >= headerSize else {
            throw WeightLabError(.data, "\(path): truncated header: \(bytes.count) bytes, the header of \(dimensionCount) dimensions takes \(headerSize)")
        }
        let bytes = self.bytes
        dimensions = (0..<dimensionCount).map { k in
            (4 + 4 * k..<8 + 4 * k).reduce(0) { $0 << 8 | Int(bytes[$1]) }
        }
        if let zero = dimensions.firstIndex(of: 0) {
            throw WeightLabError(.data, "\(path): dimension \(zero + 1) of \(dimensions) is 0: the file holds no data")
        }
        // Each dimension is below 2³², so the product of three fits in 96 bits: check overflow.
        var expected = 1
        for size in dimensions {
            let (product, overflow) = expected.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw WeightLabError(.data, "\(path): the header's dimensions \(dimensions) describe more bytes than can be addressed")
            }
            expected = product
        }
        let held = bytes.count - headerSize
        let itemSize = expected / dimensions[0]
        guard held >= expected else {
            throw WeightLabError(
                .data,
                "\(path): truncated: the header claims \(dimensions[0]) items of \(itemSize) bytes (\(expected) bytes of data) but the file holds \(held) (\(held / itemSize) whole items)")
        }
        guard held == expected else {
            throw WeightLabError(
                .data, "\(path): \(held - expected) bytes follow the \(expected) bytes of data the header describes (\(dimensions))")
        }
    }

    /// Calls `body` with the elements after the header.
    func withPayload<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[headerSize...])) }
    }
}

/// `value` in upper-case hexadecimal, zero-padded to `digits`.
private func hex(_ value: UInt32, digits: Int) -> String {
    let text = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
}
