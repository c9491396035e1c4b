import Foundation

extension WeightsFile {
    /// Reads a NumPy `.npy` file holding a float32 vector, as `write` makes them (and
    /// `numpy.save(path, w.astype('<f4'))` does): format 1.0, 2.0 or 3.0 (NumPy's
    /// `numpy.lib.format`: the magic `\x93NUMPY`, two version bytes, the header length, a
    /// Python-literal dict with `descr`, `fortran_order` and `shape`), little-endian `<f4`,
    /// one dimension. Anything else is an error naming the file and the byte or field.
    public static func readNumPy(_ path: String) throws -> [Float] {
        let bytes = try FileBytes.readRaw(path)
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw WeightLabError(.data, "\(path): not a NumPy file (the magic \\x93NUMPY is missing at byte 0)")
        }
        let major = bytes[6]
        let lengthBytes: Int
        switch major {
        case 1: lengthBytes = 2
        case 2, 3: lengthBytes = 4
        default: throw WeightLabError(.data, "\(path): NumPy format version \(major).\(bytes[7]) at byte 6 is not supported (expected 1, 2 or 3)")
        }
        guard bytes.count >= 8 + lengthBytes else {
            throw WeightLabError(.data, "\(path): the file ends at byte \(bytes.count), inside the header length at byte 8")
        }
        let headerLength = (0..<lengthBytes).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let start = 8 + lengthBytes + headerLength
        guard bytes.count >= start else {
            throw WeightLabError(.data, "\(path): the header claims \(headerLength) bytes but the file ends at byte \(bytes.count)")
        }
        guard let header = String(bytes: bytes[(8 + lengthBytes)..<start], encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw WeightLabError(.data, "\(path): the header (bytes \(8 + lengthBytes)..<\(start)) is not text")
        }
        let count = try numPyVectorLength(header, path: path)
        let held = bytes.count - start
        guard held % 4 == 0, held / 4 == count else {
            throw WeightLabError(.data, "\(path): the header's shape promises \(count) float32 values but \(held) bytes follow it at byte \(start)")
        }
        return (0..<count).map { i in
            let offset = start + 4 * i
            return Float(bitPattern: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
        }
    }

    /// The length N of a header `{'descr': '<f4', 'fortran_order': False, 'shape': (N,), }`.
    private static func numPyVectorLength(_ header: String, path: String) throws -> Int {
        func value(of key: String) throws -> Substring {
            guard let keyRange = header.range(of: "'\(key)':") else {
                throw WeightLabError(.data, "\(path): the header has no '\(key)' field: \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            let rest = header[keyRange.upperBound...].drop { $0 == " " }
            let end = rest.first == "(" ? rest.firstIndex(of: ")").map { rest.index(after: $0) } : rest.firstIndex { $0 == "," || $0 == "}" }
            return rest[..<(end ?? rest.endIndex)].trimmingCharacters(in: .whitespaces)[...]
        }
        let descr = try value(of: "descr")
        guard descr == "'<f4'" else {
            throw WeightLabError(.data, "\(path): the header's descr is \(descr), expected '<f4' (little-endian float32)")
        }
        let order = try value(of: "fortran_order")
        guard order == "False" || order == "True" else {
            throw WeightLabError(.data, "\(path): the header's fortran_order is \(order), expected False or True")
        }
        let shape = try value(of: "shape")
        let dimensions = shape.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard shape.first == "(", shape.last == ")", dimensions.count == 1, let count = Int(dimensions[0]), count >= 0 else {
            throw WeightLabError(.data, "\(path): the header's shape is \(shape), expected one dimension (N,): a weight vector")
        }
        return count
    }
}
