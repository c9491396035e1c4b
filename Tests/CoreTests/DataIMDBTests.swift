import Foundation
import Testing
@testable import WeightLabCore

/// The IMDB reader on a small folder in the aclImdb layout, written here.
@Suite struct DataIMDBTests {
    let positive = ["A great film. Great acting!", "Great fun<br />and a great cast", "Loved it: great"]
    let negative = ["A dull film, dull and long.", "Boring; dull acting", "I didn't like it. Dull!"]

    func folder(test: [String: [String]]? = nil) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for split in ["train", "test"] {
            for polarity in ["pos", "neg"] {
                try FileManager.default.createDirectory(atPath: "\(directory.path)/\(split)/\(polarity)", withIntermediateDirectories: true)
                let texts = (split == "test" ? test?[polarity] : nil) ?? (polarity == "pos" ? positive : negative)
                for (i, text) in texts.enumerated() { try directory.write(text, to: "\(split)/\(polarity)/\(i)_7.txt") }
            }
        }
        return directory
    }

    @Test func tokensAreLowerCasedWords() {
        #expect(BagOfWords.tokens(of: "I didn't LIKE it.<br />Dull, 10/10!") == ["i", "didn't", "like", "it", "dull", "10", "10"])
    }

    @Test func binaryFeaturesOverTheTrainingVocabulary() throws {
        let directory = try folder(test: ["pos": ["great great unseen"], "neg": ["dull"]])
        let data = try Dataset.imdb(directory: directory.path, vocabularySize: 3)
        // Counts over the six training reviews: great 5, dull 4, then a/acting/film/it at 2 (alphabetical: a).
        #expect(data.train.featureCount == 3 && data.featureShape == [3] && data.imageShape == nil)
        #expect(data.train.labels == [0, 0, 0, 1, 1, 1] && data.classNames == ["neg", "pos"])
        let words = try BagOfWords(fitting: (negative + positive).map(BagOfWords.tokens), size: 3, weighting: .binary)
        #expect(words.words == ["great", "dull", "a"])
        #expect(Array(data.train.features[0..<3]) == [0, 1, 1], "'A dull film, dull and long.': dull and a present, once each in binary")
        #expect(data.test.features == [0, 1, 0, 1, 0, 0], "the test split uses the training vocabulary; unseen words are dropped")
    }

    @Test func tfidfWeightsAreFittedOnTraining() throws {
        let texts = [["a", "b", "b"], ["a", "c"]]
        let words = try BagOfWords(fitting: texts, size: 3, weighting: .tfidf)
        #expect(words.words == ["a", "b", "c"], "a and b occur twice (ties alphabetical), c once")
        // idf = ln(3 / (1 + df)) + 1: b and c in one text, a in both.
        let idfB = log(Float(3) / 2) + 1
        let idfA: Float = 1
        let row = words.features(of: [["a", "b", "b"]])
        let norm = (4 * idfB * idfB + idfA * idfA).squareRoot()
        #expect(abs(row[0] - idfA / norm) < 1e-6 && abs(row[1] - 2 * idfB / norm) < 1e-6 && row[2] == 0)
        let directory = try folder()
        let data = try Dataset.named("imdb-tfidf:\(directory.path)")
        #expect(data.name == "imdb-tfidf" && data.train.count == 6)
    }

    @Test func badFoldersAndFilesAreErrorsNamingThem() throws {
        let missing = try folder()
        try FileManager.default.removeItem(atPath: "\(missing.path)/test/neg")
        expectError(mentioning: ["\(missing.path)/test/neg is missing", "aclImdb layout"]) { try Dataset.imdb(directory: missing.path) }

        let binary = try folder()
        let bad = try binary.write([0x67, 0x72, 0xFF, 0xFE, 0x61], to: "train/pos/9_1.txt")
        expectError(mentioning: [bad, "not valid UTF-8"]) { try Dataset.imdb(directory: binary.path) }

        let empty = try folder()
        let blank = try empty.write(" <br /> ", to: "test/pos/5_1.txt")
        expectError(mentioning: [blank, "the review is empty"]) { try Dataset.imdb(directory: empty.path) }
    }
}
