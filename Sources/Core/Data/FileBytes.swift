import CZlib
import Foundation

/// The bytes of a data file, decompressed when it is gzip: the one way every loader reads a file.
///
/// A gzip file is recognized by its magic bytes (1f 8b, RFC 1952 §2.3.1), not by its name, and
/// inflated whole through zlib (`inflate` with a gzip wrapper, which checks the CRC-32 and the
/// length in the trailer). Concatenated gzip members are read one after another, as `gzip -d`
/// does. A stream that ends early is an error, never a partial file.
public enum FileBytes {
    /// The contents of the file at `path`, inflated when it is gzip-compressed.
    static func read(_ path: String) throws -> [UInt8] {
        let raw = try readRaw(path)
        guard raw.count >= 2, raw[0] == 0x1F, raw[1] == 0x8B else { return raw }
        return try inflateGzip(raw, path: path)
    }

    /// The stored bytes of the file at `path`.
    public static func readRaw(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw WeightLabError(.io, "\(path): no such file")
        }
        guard !isDirectory.boolValue else {
            throw WeightLabError(.io, "\(path): is a directory, expected a file")
        }
        do {
            // An empty file is answered here: Foundation's `Data(contentsOf:)` leaks a 4 KiB
            // buffer on one (AddressSanitizer's leak check, Swift 6.3.1 on Linux).
            if let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size == 0 { return [] }
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw WeightLabError(.io, "\(path): cannot be read (\(error.localizedDescription))")
        }
    }

    /// Inflates the gzip members in `compressed`.
    static func inflateGzip(_ compressed: [UInt8], path: String) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: initialCapacity(forGzip: compressed))
        var produced = 0
        var stream = z_stream()
        // windowBits 15 + 16: a gzip wrapper around a 32 KiB-window deflate stream (zlib manual).
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw WeightLabError(.io, "\(path): zlib could not start inflating (\(zlibMessage(stream)))")
        }
        defer { inflateEnd(&stream) }
        try compressed.withUnsafeBufferPointer { input in
            guard let inputStart = input.baseAddress else { return }
            var consumed = 0
            var status = Z_OK
            while true {
                if produced == output.count {
                    output.append(contentsOf: repeatElement(0, count: output.count))
                }
                let inputChunk = min(input.count - consumed, Int(UInt32.max))
                let outputChunk = min(output.count - produced, Int(UInt32.max))
                stream.next_in = UnsafeMutablePointer(mutating: inputStart + consumed)
                stream.avail_in = uInt(inputChunk)
                status = output.withUnsafeMutableBufferPointer { out in
                    guard let outputStart = out.baseAddress else { return Z_BUF_ERROR }
                    stream.next_out = outputStart + produced
                    stream.avail_out = uInt(outputChunk)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                consumed += inputChunk - Int(stream.avail_in)
                produced += outputChunk - Int(stream.avail_out)
                switch status {
                case Z_STREAM_END:
                    guard consumed < input.count else { return }
                    inflateReset(&stream)
                case Z_OK:
                    continue
                case Z_BUF_ERROR where consumed == input.count:
                    throw WeightLabError(
                        .data, "\(path): truncated gzip stream: the compressed data ends after \(input.count) bytes, before the end of the stream")
                case Z_BUF_ERROR:
                    continue
                case Z_MEM_ERROR:
                    throw WeightLabError(.io, "\(path): out of memory while inflating")
                default:
                    throw WeightLabError(.data, "\(path): corrupt gzip data at compressed byte \(consumed) (\(zlibMessage(stream)))")
                }
            }
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// A first guess at the inflated size: the trailer's ISIZE field (the length modulo 2³²),
    /// trusted only when it is plausible for deflate (whose ratio is at most 1032:1) and at most
    /// 256 MiB, so that a forged trailer cannot make a small file claim gigabytes up front.
    private static func initialCapacity(forGzip compressed: [UInt8]) -> Int {
        let fallback = max(4 * compressed.count, 4096)
        guard compressed.count >= 18 else { return fallback }
        let n = compressed.count
        let size = Int(compressed[n - 4]) | Int(compressed[n - 3]) << 8 | Int(compressed[n - 2]) << 16 | Int(compressed[n - 1]) << 24
        return size > 0 && size <= min(1032 * n, 1 << 28) ? size + 1 : fallback
    }

    private static func zlibMessage(_ stream: z_stream) -> String {
        stream.msg.map { String(cString: $0) } ?? "no detail"
    }
}
