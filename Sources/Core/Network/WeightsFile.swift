import Foundation

/// Trained weights on disk, in two formats chosen by the file's extension.
///
/// - `.npy`: NumPy's format 1.0, a little-endian float32 vector of shape (count,), so that
///   `numpy.load(path)` reads it as is; each layer's slice is laid out as docs/core.md says
///   (a convolution's kernel reshapes to (k_h, k_w, c_in, filters)).
/// - anything else: WeightLab's own format, which also records the network it belongs to:
///
/// | bytes | content |
/// | --- | --- |
/// | 8 | the magic `WLWEIGHT` |
/// | 4 | format version, UInt32 little-endian (1) |
/// | 4 | header length L, UInt32 little-endian |
/// | L | a UTF-8 JSON header: `{"count": N, "inputWidth": …, "layers": ["dense(256)", "relu", …]}`, and for image networks `"imageShape": {"height": 28, "width": 28, "channels": 1}` |
/// | 4·N | the weights, float32 little-endian |
///
/// Files are written atomically (a temporary file, then a rename).
public enum WeightsFile {
    static let magic = Array("WLWEIGHT".utf8)

    /// What a WeightLab weights file says about its network.
    public struct Header: Codable, Sendable, Equatable {
        public var count: Int
        public var inputWidth: Int
        public var layers: [String]
        /// The input image's shape for networks on images; absent for flat inputs.
        public var imageShape: ImageShape?
    }

    /// Writes `weights` of `network` to `path`, as NumPy when the path ends in `.npy`.
    public static func write(_ weights: [Float], of network: Network, to path: String) throws {
        guard weights.count == network.parameterCount else {
            throw WeightLabError.shape("weights to save", expected: network.parameterCount, actual: weights.count)
        }
        let url = URL(fileURLWithPath: path)
        if url.pathExtension.lowercased() == "npy" {
            try AtomicFile.write(numpy(weights), to: url)
            return
        }
        let header = Header(count: weights.count, inputWidth: network.inputWidth, layers: network.layers.map(\.description), imageShape: network.inputShape)
        // Sorted keys: the same weights give the same bytes (the encoder's order varies by run).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        var data = Data(magic)
        append(UInt32(1), to: &data)
        append(UInt32(json.count), to: &data)
        data.append(json)
        append(weights, to: &data)
        try AtomicFile.write(data, to: url)
    }

    /// Reads a WeightLab weights file: its header and weights.
    public static func read(_ path: String) throws -> (header: Header, weights: [Float]) {
        let bytes = try FileBytes.readRaw(path)
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else {
            throw WeightLabError(.data, "\(path): not a WeightLab weights file (the magic WLWEIGHT is missing)")
        }
        let version = littleEndian(bytes, at: 8)
        guard version == 1 else { throw WeightLabError(.data, "\(path): weights format version \(version) is not supported (expected 1)") }
        let headerLength = Int(littleEndian(bytes, at: 12))
        guard bytes.count >= 16 + headerLength else { throw WeightLabError(.data, "\(path): the file ends inside its header") }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)])) } catch {
            throw WeightLabError(.data, "\(path): the header is not valid JSON (\(error))")
        }
        let start = 16 + headerLength
        // Compared by division: 4 × a forged count could overflow.
        let held = bytes.count - start
        guard header.count >= 0, held % 4 == 0, held / 4 == header.count else {
            throw WeightLabError(.data, "\(path): the header promises \(header.count) weights but the \(held) bytes after it at byte \(start) hold \(held / 4)")
        }
        let weights = (0..<header.count).map { Float(bitPattern: littleEndian(bytes, at: start + 4 * $0)) }
        return (header, weights)
    }

    /// The bytes of a NumPy 1.0 `.npy` file holding `weights` as a float32 vector.
    static func numpy(_ weights: [Float]) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(weights.count),), }"
        // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64, ending in a newline.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        append(weights, to: &data)
        return data
    }

    private static func append(_ value: UInt32, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func append(_ weights: [Float], to data: inout Data) {
        let words = weights.map { $0.bitPattern.littleEndian }
        words.withUnsafeBytes { data.append(contentsOf: $0) }
    }

    private static func littleEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
