import Foundation

/// A table of text fields written and read as CSV (RFC 4180): comma-separated, a field
/// holding a comma, quote or line break is quoted with quotes doubled, lines end in "\n".
/// WeightLab's one CSV writer: traces (`Trace.csv`), `runs.csv` and the summary tables.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The table as CSV text.
    public var text: String {
        ([header] + rows).map { $0.map(Self.quoted).joined(separator: ",") + "\n" }.joined()
    }

    /// Parses CSV text whose first record is the header; every record must have the header's
    /// number of fields.
    public init(parsing text: String, file: String = "CSV") throws {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var fieldStarted = false
        var characters = text.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            if inQuotes {
                if character == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = characters.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty:
                inQuotes = true
                fieldStarted = true
            case ",":
                record.append(field)
                field = ""
                fieldStarted = true
            case "\n", "\r\n", "\r":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                fieldStarted = false
            default:
                field.append(character)
                fieldStarted = true
            }
        }
        guard !inQuotes else { throw WeightLabError(.data, "\(file): a quoted field is not closed") }
        if fieldStarted || !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        guard let header = records.first else { throw WeightLabError(.data, "\(file): empty, expected a header line") }
        for (index, row) in records.enumerated() where row.count != header.count {
            throw WeightLabError(.data, "\(file):\(index + 1): \(row.count) fields, the header has \(header.count)")
        }
        self.header = header
        self.rows = Array(records.dropFirst())
    }

    /// The index of column `name`.
    public func column(_ name: String, file: String = "CSV") throws -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw WeightLabError(.data, "\(file): no column '\(name)'; the columns are \(header.joined(separator: ", "))")
        }
        return index
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

