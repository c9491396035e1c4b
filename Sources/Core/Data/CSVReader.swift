/// Reads a CSV file of numbers into `Samples`: numeric feature columns and one label column.
///
/// Rows are lines separated by LF or CRLF; blank lines are skipped; a UTF-8 byte-order mark is
/// ignored; fields are separated by `delimiter` and may be surrounded by spaces or by one pair
/// of double quotes (quoted delimiters are not supported: this is a reader for numeric tables).
/// A gzip-compressed file is inflated first. Numbers parse as `Float(String)` does.
///
/// Bad input is an error naming `file:line:column` (columns count characters from 1): a
/// non-numeric or empty field, a row with a different number of fields than the first, a
/// missing label column, an empty file, and NaN or infinite values unless `allowsNonFinite`.
public struct CSVReader: Sendable {
    /// Which column holds the label.
    public enum LabelColumn: Sendable, Equatable {
        /// The column named `label` when the header has one, else the last column.
        case automatic
        /// The column with this header name (needs a header).
        case named(String)
        /// The column at this 0-based index.
        case index(Int)
    }

    /// Whether the first row names the columns.
    public enum Header: Sendable, Equatable {
        /// A header when some field of the first row is not a number (an empty field does not count).
        case automatic
        /// The first row names the columns.
        case present
        /// Every row is data.
        case absent
    }

    /// What the label column holds.
    public enum Targets: Sendable, Equatable {
        /// Class indexes: integers in 0 ..< count, the count taken as the largest label + 1 when nil.
        case classes(count: Int?)
        /// One real-valued regression target per row.
        case regression
    }

    /// Which column holds the label.
    public var labelColumn: LabelColumn
    /// Whether the first row is a header.
    public var header: Header
    /// Class labels or regression targets.
    public var targets: Targets
    /// Accept NaN and infinite values (rejected by default).
    public var allowsNonFinite: Bool
    /// The field separator, an ASCII character.
    public let delimiter: UInt8

    /// A reader with these options; the delimiter must be one ASCII character other than a
    /// quote or a line break.
    public init(
        labelColumn: LabelColumn = .automatic, header: Header = .automatic, targets: Targets = .classes(count: nil),
        allowsNonFinite: Bool = false, delimiter: Character = ","
    ) throws {
        guard let byte = delimiter.asciiValue, delimiter != "\"", !delimiter.isNewline else {
            throw WeightLabError.parameter("delimiter", delimiter, allowed: "one ASCII character other than a quote or a line break")
        }
        if case .classes(let count?) = targets { try validateCount("class count", count, atLeast: 1) }
        self.init(labelColumn: labelColumn, header: header, targets: targets, allowsNonFinite: allowsNonFinite, delimiterByte: byte)
    }

    private init(labelColumn: LabelColumn, header: Header, targets: Targets, allowsNonFinite: Bool, delimiterByte: UInt8) {
        self.labelColumn = labelColumn
        self.header = header
        self.targets = targets
        self.allowsNonFinite = allowsNonFinite
        self.delimiter = delimiterByte
    }

    /// The defaults: comma-separated, header detected, label column `label` or the last,
    /// class labels, finite numbers only.
    public static let standard = CSVReader(
        labelColumn: .automatic, header: .automatic, targets: .classes(count: nil), allowsNonFinite: false,
        delimiterByte: UInt8(ascii: ","))

    /// The rows of the CSV file at `path` (gzip or plain text).
    public func read(_ path: String) throws -> Samples {
        let bytes = try FileBytes.read(path)
        return try bytes.withUnsafeBufferPointer { text in
            var parse = CSVParse(reader: self, file: path, text: text)
            return try parse.run()
        }
    }
}

/// One pass of `CSVReader` over the bytes of one file.
private struct CSVParse {
    let reader: CSVReader
    let file: String
    let text: UnsafeBufferPointer<UInt8>

    private let numbers = DecimalParser()
    private var position = 0
    private var lineNumber = 0
    private var lineStart = 0
    private var fields: [Range<Int>] = []

    init(reader: CSVReader, file: String, text: UnsafeBufferPointer<UInt8>) {
        self.reader = reader
        self.file = file
        self.text = text
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    mutating func run() throws -> Samples {
        guard nextRow() else {
            throw WeightLabError(.data, "\(file): empty file: expected rows of \(delimiterName)-separated numbers")
        }
        let columns = fields.count
        let firstLine = lineNumber
        let names = isHeader() ? fields.map { String(decoding: text[$0], as: UTF8.self) } : nil
        let labelIndex = try resolveLabelColumn(names: names, columns: columns)
        guard columns >= 2 else {
            throw WeightLabError(.data, "\(file):\(firstLine): one column only: expected at least one feature column besides the label")
        }
        var features: [Float] = []
        var labels: [Int32] = []
        var targets: [Float] = []
        if names == nil { try appendRow(labelIndex, &features, &labels, &targets) }
        while nextRow() {
            guard fields.count == columns else {
                let at = fields.count > columns ? fields[columns].lowerBound : fields[fields.count - 1].upperBound
                throw error(at: at, "row has \(fields.count) fields, expected \(columns) as on line \(firstLine)")
            }
            try appendRow(labelIndex, &features, &labels, &targets)
        }
        if let names, labels.isEmpty, targets.isEmpty {
            throw WeightLabError(.data, "\(file): no data rows after the header on line \(firstLine) (\(names.joined(separator: ", ")))")
        }
        if case .regression = reader.targets {
            return Samples(features: features, featureCount: columns - 1, targets: targets, targetWidth: 1)
        }
        return Samples(features: features, featureCount: columns - 1, labels: labels)
    }

    private var delimiterName: String {
        reader.delimiter == UInt8(ascii: ",") ? "comma" : "'\(Character(Unicode.Scalar(reader.delimiter)))'"
    }

    /// Whether the current (first) row is a header.
    private func isHeader() -> Bool {
        switch reader.header {
        case .present: return true
        case .absent: return false
        case .automatic:
            return fields.contains { !$0.isEmpty && numbers.parse(UnsafeBufferPointer(rebasing: text[$0])) == nil }
        }
    }

    private func resolveLabelColumn(names: [String]?, columns: Int) throws -> Int {
        switch reader.labelColumn {
        case .automatic:
            return names?.firstIndex(of: "label") ?? columns - 1
        case .index(let index):
            guard (0..<columns).contains(index) else {
                throw WeightLabError(.data, "\(file):\(lineNumber): label column index \(index) is outside the \(columns) columns (0..<\(columns))")
            }
            return index
        case .named(let name):
            guard let names else {
                throw WeightLabError(
                    .data, "\(file):\(lineNumber): the label column is named '\(name)' but the first row is not a header (it is all numbers)")
            }
            guard let index = names.firstIndex(of: name) else {
                throw WeightLabError(
                    .data, "\(file):\(lineNumber): no column named '\(name)' in the header (columns: \(names.joined(separator: ", ")))")
            }
            return index
        }
    }

    private mutating func appendRow(_ labelIndex: Int, _ features: inout [Float], _ labels: inout [Int32], _ targets: inout [Float]) throws {
        for (column, range) in fields.enumerated() {
            let value = try number(range, column: column)
            guard column == labelIndex else {
                features.append(value)
                continue
            }
            switch reader.targets {
            case .regression:
                targets.append(value)
            case .classes(let count):
                guard value >= 0, value.rounded() == value, value < Float(Int32.max) else {
                    throw error(at: range.lowerBound, "label '\(fieldText(range))' (field \(column + 1)) is not a class index: expected an integer ≥ 0")
                }
                if let count, Int(value) >= count {
                    throw error(at: range.lowerBound, "label \(Int(value)) (field \(column + 1)) is outside 0..<\(count), the class count")
                }
                labels.append(Int32(value))
            }
        }
    }

    /// The number in field `range`, checked.
    private func number(_ range: Range<Int>, column: Int) throws -> Float {
        guard !range.isEmpty else {
            throw error(at: range.lowerBound, "field \(column + 1) is empty, expected a number")
        }
        guard let value = numbers.parse(UnsafeBufferPointer(rebasing: text[range])) else {
            throw error(at: range.lowerBound, "field \(column + 1) is '\(fieldText(range))', expected a number")
        }
        guard value.isFinite || reader.allowsNonFinite else {
            throw error(
                at: range.lowerBound,
                "field \(column + 1) is '\(fieldText(range))', not a finite number (NaN and infinite values are rejected unless the reader sets allowsNonFinite)")
        }
        return value
    }

    /// Reads the next non-blank row into `fields`; false at the end of the file.
    private mutating func nextRow() -> Bool {
        while position < text.count {
            lineNumber += 1
            lineStart = position
            var end = position
            while end < text.count, text[end] != UInt8(ascii: "\n") { end += 1 }
            position = end + 1
            if end > lineStart, text[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            guard text[lineStart..<end].contains(where: { !isSpace($0) }) else { continue }
            splitFields(lineStart..<end)
            return true
        }
        return false
    }

    /// Splits `line` at delimiters into trimmed, unquoted field ranges.
    private mutating func splitFields(_ line: Range<Int>) {
        fields.removeAll(keepingCapacity: true)
        var start = line.lowerBound
        for i in line where text[i] == reader.delimiter {
            fields.append(trimmed(start..<i))
            start = i + 1
        }
        fields.append(trimmed(start..<line.upperBound))
    }

    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        var (low, high) = (range.lowerBound, range.upperBound)
        while low < high, isSpace(text[low]) { low += 1 }
        while high > low, isSpace(text[high - 1]) { high -= 1 }
        if high - low >= 2, text[low] == UInt8(ascii: "\""), text[high - 1] == UInt8(ascii: "\"") {
            low += 1
            high -= 1
        }
        return low..<high
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// A field's text for a message, shortened when long.
    private func fieldText(_ range: Range<Int>) -> String {
        let text = String(decoding: self.text[range], as: UTF8.self)
        return text.count > 40 ? String(text.prefix(37)) + "..." : text
    }

    /// An error at byte offset `offset` of the current line, as `file:line:column: message`,
    /// the column counting characters (UTF-8 lead bytes) from 1.
    private func error(at offset: Int, _ message: String) -> WeightLabError {
        let column = 1 + text[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count
        return WeightLabError(.data, "\(file):\(lineNumber):\(column): \(message)")
    }
}
