import Foundation
import WeightLab

/// What must be the same on every rank of one run: the command's arguments and the contents
/// of the files they name (a spec, a checkpoint), as one FNV-1a 64-bit hash.
struct RunDescription {
    /// Files larger than this are hashed by size and name only (data sets, large weights).
    static let largestHashedFile = 16 << 20
    let hash: UInt64

    init(arguments: [String]) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        for argument in arguments {
            mix(argument.utf8)
            mix([0])
            let attributes = try? FileManager.default.attributesOfItem(atPath: argument)
            guard attributes?[.type] as? FileAttributeType == .typeRegular, let size = attributes?[.size] as? Int else { continue }
            if size <= Self.largestHashedFile, let contents = FileManager.default.contents(atPath: argument) {
                mix(contents)
            } else {
                mix(String(size).utf8)
            }
        }
        self.hash = hash
    }

    /// Throws, on every rank alike, when any rank's hash differs from rank 0's.
    func check(among world: any Communicator) throws {
        let hashes: [[UInt64]] = try world.allGather([hash])
        let reference = hashes[0].first
        if let other = hashes.indices.first(where: { hashes[$0].first != reference }) {
            throw WeightLabError(
                .parameter,
                "rank \(other) was started with another run description than rank 0 (arguments or the files they name differ: hash \(String(hashes[other].first ?? 0, radix: 16)) vs \(String(reference ?? 0, radix: 16))): every rank must get the same command, seed and files")
        }
    }
}
