import Foundation

/// Bag-of-words features for text: lower-cased word tokens, a vocabulary of the `size` most
/// frequent words of the training texts (ties broken alphabetically), and per text either
/// binary presence or TF-IDF weights, both fitted on the training texts only.
public struct BagOfWords: Sendable, Equatable {
    /// How a word's entry in a text's feature vector is weighted.
    public enum Weighting: String, Sendable, Equatable, CaseIterable {
        /// 1 when the word occurs in the text, else 0.
        case binary
        /// count · idf, idf = ln((1 + n)/(1 + df)) + 1 over the n training texts, the row then
        /// scaled to unit length (scikit-learn's `TfidfVectorizer` defaults).
        case tfidf
    }

    /// The vocabulary, most frequent first; feature j is `words[j]`.
    public let words: [String]
    public let weighting: Weighting
    /// idf per word (1 for binary weighting).
    public let inverseDocumentFrequency: [Float]
    private let index: [String: Int]

    /// The vocabulary of the `size` most frequent words of `texts` (token lists).
    public init(fitting texts: [[String]], size: Int, weighting: Weighting) throws {
        try validateCount("vocabulary size", size, atLeast: 1)
        var counts: [String: Int] = [:]
        var documents: [String: Int] = [:]
        for text in texts {
            for word in text { counts[word, default: 0] += 1 }
            for word in Set(text) { documents[word, default: 0] += 1 }
        }
        words = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(size).map(\.key)
        self.weighting = weighting
        index = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, $0) })
        let n = Float(texts.count)
        inverseDocumentFrequency = words.map { word in
            weighting == .binary ? 1 : log((1 + n) / (1 + Float(documents[word] ?? 0))) + 1
        }
    }

    /// The lower-cased words of `text`: maximal runs of letters, digits and inner apostrophes,
    /// HTML line breaks (`<br />`, as in the IMDB reviews) counting as spaces.
    public static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        func finish() {
            let word = current.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
            if !word.isEmpty { tokens.append(word) }
            current = ""
        }
        for character in text.replacingOccurrences(of: "<br />", with: " ").lowercased() {
            if character.isLetter || character.isNumber || character == "'" { current.append(character) } else { finish() }
        }
        finish()
        return tokens
    }

    /// The feature vectors of `texts`, one row of `words.count` per text.
    public func features(of texts: [[String]]) -> [Float] {
        let width = words.count
        var features = [Float](repeating: 0, count: texts.count * width)
        for (row, text) in texts.enumerated() {
            let base = row * width
            for word in text {
                guard let j = index[word] else { continue }
                if weighting == .binary { features[base + j] = 1 } else { features[base + j] += inverseDocumentFrequency[j] }
            }
            if weighting == .tfidf {
                var norm: Float = 0
                for j in 0..<width { norm += features[base + j] * features[base + j] }
                if norm > 0 {
                    let scale = 1 / norm.squareRoot()
                    for j in 0..<width { features[base + j] *= scale }
                }
            }
        }
        return features
    }
}
