import Foundation

extension Dataset {
    /// The reviews of the IMDB sentiment data set (Maas et al., 2011, "Learning Word Vectors for
    /// Sentiment Analysis", the `aclImdb` folder): `train/{pos,neg}/*.txt` and
    /// `test/{pos,neg}/*.txt`, labels 0 (neg) and 1 (pos), as bag-of-words features over the
    /// `vocabularySize` most frequent training words (`BagOfWords`), fitted on the training
    /// reviews only. Files are read in name order; a missing folder, bytes that are not UTF-8 or
    /// an empty review are errors naming the file.
    public static func imdb(directory: String, vocabularySize: Int = 2000, weighting: BagOfWords.Weighting = .binary) throws -> Dataset {
        func reviews(_ split: String) throws -> (texts: [[String]], labels: [Int32]) {
            var texts: [[String]] = []
            var labels: [Int32] = []
            for (label, polarity) in ["neg", "pos"].enumerated() {
                let folder = ((directory as NSString).appendingPathComponent(split) as NSString).appendingPathComponent(polarity)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw WeightLabError(.io, "imdb: \(folder) is missing; the aclImdb layout holds train/pos, train/neg, test/pos and test/neg folders of .txt reviews")
                }
                let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.sorted()
                guard !names.isEmpty else { throw WeightLabError(.data, "imdb: \(folder) holds no .txt reviews") }
                for name in names {
                    let path = (folder as NSString).appendingPathComponent(name)
                    let bytes = try FileBytes.readRaw(path)
                    guard let text = String(validating: bytes, as: UTF8.self) else {
                        throw WeightLabError(.data, "\(path): not valid UTF-8 text")
                    }
                    let tokens = BagOfWords.tokens(of: text)
                    guard !tokens.isEmpty else { throw WeightLabError(.data, "\(path): the review is empty (no words)") }
                    texts.append(tokens)
                    labels.append(Int32(label))
                }
            }
            return (texts, labels)
        }
        let train = try reviews("train")
        let test = try reviews("test")
        let words = try BagOfWords(fitting: train.texts, size: vocabularySize, weighting: weighting)
        let width = words.words.count
        return try Dataset(
            name: weighting == .binary ? "imdb" : "imdb-tfidf",
            train: Samples(features: words.features(of: train.texts), featureCount: width, labels: train.labels),
            test: Samples(features: words.features(of: test.texts), featureCount: width, labels: test.labels),
            classCount: 2, featureShape: [width], classNames: ["neg", "pos"])
    }
}
