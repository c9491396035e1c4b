import CZlib
import Foundation
import Testing
import WeightLabCore

/// A fresh directory under the system's temporary folder, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("weightlab-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` in this directory and returns the file's path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Writes `text` as UTF-8 to `name` and returns the file's path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        try write(Array(text.utf8), to: name)
    }
}

/// `bytes` compressed as one gzip member by zlib.
func gzip(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    // windowBits 15 + 16 asks zlib for a gzip wrapper.
    guard deflateInit2_(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else { return [] }
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
    var input = bytes
    let written = input.withUnsafeMutableBufferPointer { source in
        output.withUnsafeMutableBufferPointer { destination in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            stream.next_out = destination.baseAddress
            stream.avail_out = uInt(destination.count)
            return deflate(&stream, Z_FINISH) == Z_STREAM_END ? destination.count - Int(stream.avail_out) : 0
        }
    }
    return Array(output.prefix(written))
}

/// An IDX file: magic (0, 0, `type`, dimension count), big-endian dimensions, then `payload`.
func idxFile(type: UInt8 = 0x08, dimensions: [Int], payload: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
    for size in dimensions {
        bytes += [UInt8(size >> 24 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)]
    }
    return bytes + payload
}

/// Checks that `body` throws a `WeightLabError` whose message contains every fragment.
func expectError(
    mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any
) {
    do {
        let result = try body()
        Issue.record("expected an error mentioning \(fragments), got \(type(of: result))", sourceLocation: sourceLocation)
    } catch let error as WeightLabError {
        for fragment in fragments {
            #expect(error.message.contains(fragment), "'\(error.message)' should mention '\(fragment)'", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected a WeightLabError, got \(error)", sourceLocation: sourceLocation)
    }
}

/// The number of samples of each class 0 ..< classCount.
func classCounts(_ samples: Samples, classCount: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: classCount)
    for label in samples.labels { counts[Int(label)] += 1 }
    return counts
}
