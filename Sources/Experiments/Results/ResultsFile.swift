import Foundation
import WeightLab

/// A JSON file `weightlab run` keeps in a results directory (a run record, the manifest):
/// written and read with WeightLab's JSON settings, so non-finite numbers are the strings
/// "inf", "-inf", "nan", and a file that does not decode is an error naming it.
public protocol ResultsFile: Codable {
    /// What the file holds, as errors name it: "a run record", "an experiment manifest".
    static var fileKind: String { get }
}

extension ResultsFile {
    /// The value as pretty-printed JSON.
    public func encoded() throws -> Data {
        try JSONCoding.encoder(pretty: true).encode(self)
    }

    /// Reads a value written by `encoded()`; `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws -> Self {
        do {
            return try JSONCoding.decoder().decode(Self.self, from: data)
        } catch {
            throw WeightLabError(.data, "\(file): not \(fileKind) written by weightlab run: \(JSONCoding.describe(error))")
        }
    }
}
