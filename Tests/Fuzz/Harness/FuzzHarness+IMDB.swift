import Foundation
import WeightLab

extension FuzzHarness {
    /// The four folders of an `aclImdb` layout, in the order the reviews are dealt to them.
    static let reviewFolders = ["train/neg", "train/pos", "test/neg", "test/pos"]

    /// Writes the reviews in `bytes` (cut at each zero byte) into `folder` as an `aclImdb`
    /// layout, review i as `<i>.txt` in folder i mod 4, and reads it with a 50-word vocabulary.
    /// A folder left without reviews is part of the input: the reader must say so.
    static func readReviews(_ bytes: UnsafeBufferPointer<UInt8>, folder: URL) throws {
        try? FileManager.default.removeItem(at: folder)
        for name in reviewFolders {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        for (index, review) in bytes.split(separator: 0, omittingEmptySubsequences: false).enumerated() {
            let file = folder.appendingPathComponent(reviewFolders[index % 4]).appendingPathComponent("\(index).txt")
            try Data(review).write(to: file)
        }
        _ = try Dataset.imdb(directory: folder.path, vocabularySize: 50)
    }
}
