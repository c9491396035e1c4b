import Foundation
import Testing
@testable import WeightLabCore

@Suite("CSV reader")
struct DataCSVTests {
    @Test("a header with a 'label' column: that column is the label wherever it stands, the others are features in order")
    func labelColumnByDefaultName() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("a,label,b\n1.5,2,-3\n4,0,5e-1\n", to: "named.csv")
        let samples = try CSVReader.standard.read(path)
        #expect(samples.featureCount == 2)
        #expect(samples.features == [1.5, -3, 4, 0.5])
        #expect(samples.labels == [2, 0])
    }

    @Test("without a header the last column is the label")
    func lastColumnWithoutHeader() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("0.25,1,3\n2,0.125,1\n", to: "plain.csv")
        let samples = try CSVReader.standard.read(path)
        #expect(samples.features == [0.25, 1, 2, 0.125])
        #expect(samples.labels == [3, 1])
    }

    @Test("a label column chosen by name or by index; regression targets")
    func chosenColumnsAndRegression() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("x,y,target\n1,2,0.5\n3,4,-1.25\n", to: "regression.csv")
        let byName = try CSVReader(labelColumn: .named("x"), targets: .regression).read(path)
        #expect(byName.features == [2, 0.5, 4, -1.25] && byName.targets == [1, 3] && byName.targetWidth == 1)
        let byIndex = try CSVReader(labelColumn: .index(2), targets: .regression).read(path)
        #expect(byIndex.features == [1, 2, 3, 4] && byIndex.targets == [0.5, -1.25])
        #expect(!byIndex.isClassification)
    }

    @Test("the header flag overrides detection: a numeric first row read as names, or a wordy one rejected as data")
    func headerFlag() throws {
        let directory = try TemporaryDirectory()
        let numericNames = try directory.write("0,1,2\n5,6,1\n", to: "numeric-header.csv")
        let read = try CSVReader(header: .present).read(numericNames)
        #expect(read.features == [5, 6] && read.labels == [1])
        let wordy = try directory.write("x,label\n1,0\n", to: "wordy.csv")
        expectError(mentioning: ["\(wordy):1:1:", "field 1 is 'x', expected a number"]) {
            try CSVReader(header: .absent).read(wordy)
        }
    }

    @Test("CRLF line ends, blank lines, a byte-order mark, spaces and quotes around fields are accepted")
    func toleratedSpelling() throws {
        let directory = try TemporaryDirectory()
        let text = "\u{FEFF}\"f1\" , \"label\"\r\n\r\n  7 ,\"1\"\r\n\n\t-0.5,0\r\n   \n"
        let path = try directory.write(text, to: "spelling.csv")
        let samples = try CSVReader.standard.read(path)
        #expect(samples.features == [7, -0.5] && samples.labels == [1, 0])
    }

    @Test("a gzip-compressed CSV reads as the plain file")
    func gzipCSV() throws {
        let directory = try TemporaryDirectory()
        let text = "p,q,label\n1,2,0\n3,4,1\n"
        let plain = try directory.write(text, to: "t.csv")
        let packed = try directory.write(gzip(Array(text.utf8)), to: "t.csv.gz")
        #expect(try CSVReader.standard.read(plain) == CSVReader.standard.read(packed))
    }

    @Test("another delimiter; a decimal comma is then not a number")
    func semicolons() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("1,5;2;1\n", to: "semi.csv")
        let reader = try CSVReader(header: .absent, delimiter: ";")
        expectError(mentioning: ["\(path):1:1:", "'1,5'"]) { try reader.read(path) }
        let fine = try directory.write("1.5;2;1\n", to: "semi-fine.csv")
        #expect(try reader.read(fine).features == [1.5, 2])
        #expect(throws: WeightLabError.self) { try CSVReader(delimiter: "\"") }
    }

    /// A file the standard reader refuses: its text, where the error points after the file's
    /// path (`":4:3:"` is line 4, column 3; "" the path alone) and what it says.
    struct Refusal: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let text: String
        let location: String
        let message: String
    }

    static let refusals = [
        Refusal(testDescription: "a non-numeric field", text: "a,b,label\n1,2,0\n\n3,abc,1\n", location: ":4:3:", message: "field 2 is 'abc', expected a number"),
        Refusal(testDescription: "columns count characters, not bytes", text: "é,label\n1,0\n2é,1\n", location: ":3:1:", message: "'2é'"),
        Refusal(testDescription: "a bad field in a later column", text: "1,2,0\n3,4,0\n5,x,0\n", location: ":3:3:", message: "'x'"),
        Refusal(testDescription: "an empty field", text: "1,2,0\n1,,0\n", location: ":2:3:", message: "field 2 is empty"),
        Refusal(testDescription: "a short row", text: "x,y,label\n1,2,0\n3,4\n", location: ":3:", message: "row has 2 fields, expected 3 as on line 1"),
        Refusal(testDescription: "a long row", text: "1,2,0\n3,4,1,9\n", location: ":2:7:", message: "row has 4 fields, expected 3"),
        Refusal(testDescription: "an empty file", text: "", location: "", message: "empty file"),
        Refusal(testDescription: "a blank file", text: "\n  \n\r\n", location: "", message: "empty file"),
        Refusal(testDescription: "a header without rows", text: "a,label\n", location: "", message: "no data rows after the header on line 1"),
        Refusal(testDescription: "an overflowing value", text: "1e39,2,0\n", location: ":1:1:", message: "not a finite number"),
        Refusal(testDescription: "a fractional label", text: "1,2.5\n", location: ":1:3:", message: "label '2.5' (field 2) is not a class index"),
        Refusal(testDescription: "a negative label", text: "1,0\n1,-1\n", location: ":2:3:", message: "not a class index"),
    ]

    @Test("a malformed file is an error at file:line:column saying what is wrong", arguments: refusals)
    func malformedFile(_ refusal: Refusal) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(refusal.text, to: "bad.csv")
        expectError(mentioning: [path + refusal.location, refusal.message]) { try CSVReader.standard.read(path) }
    }

    @Test("a missing label column is an error listing the columns there are")
    func missingLabelColumn() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("a,b,c\n1,2,0\n", to: "columns.csv")
        expectError(mentioning: ["\(path):1:", "no column named 'target'", "columns: a, b, c"]) {
            try CSVReader(labelColumn: .named("target")).read(path)
        }
        expectError(mentioning: ["\(path):1:", "label column index 3 is outside the 3 columns"]) {
            try CSVReader(labelColumn: .index(3)).read(path)
        }
        let numeric = try directory.write("1,2,0\n", to: "numeric.csv")
        expectError(mentioning: ["\(numeric):1:", "named 'target' but the first row is not a header"]) {
            try CSVReader(labelColumn: .named("target")).read(numeric)
        }
        let single = try directory.write("label\n1\n", to: "single.csv")
        expectError(mentioning: ["\(single):1:", "one column only"]) { try CSVReader.standard.read(single) }
    }

    @Test("NaN and infinite values are rejected at file:line:column unless allowed")
    func nonFiniteValues() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("a,b,label\n1,nan,0\n", to: "nan.csv")
        expectError(mentioning: ["\(path):2:3:", "'nan'", "not a finite number"]) { try CSVReader.standard.read(path) }
        let target = try directory.write("1,-inf\n", to: "target.csv")
        expectError(mentioning: ["\(target):1:3:", "'-inf'"]) { try CSVReader(targets: .regression).read(target) }
        let allowed = try CSVReader(allowsNonFinite: true).read(path)
        #expect(allowed.features[0] == 1 && allowed.features[1].isNaN)
        #expect(try CSVReader(targets: .regression, allowsNonFinite: true).read(target).targets == [-.infinity])
    }

    @Test("class labels must be integers ≥ 0 and below a stated class count")
    func badLabels() throws {
        let directory = try TemporaryDirectory()
        let large = try directory.write("1,0\n2,3\n", to: "large.csv")
        expectError(mentioning: ["\(large):2:3:", "label 3 (field 2) is outside 0..<3"]) {
            try CSVReader(targets: .classes(count: 3)).read(large)
        }
        #expect(try CSVReader.standard.read(try directory.write("1,2.0\n", to: "float-label.csv")).labels == [2])
    }

    @Test("a data set from separate train and test files infers the class count from both")
    func dataSetFromTwoFiles() throws {
        let directory = try TemporaryDirectory()
        let train = try directory.write("a,b,label\n1,2,0\n3,4,1\n5,6,1\n", to: "iris-train.csv")
        let test = try directory.write("a,b,label\n7,8,4\n", to: "iris-test.csv")
        let data = try Dataset.csv(train: train, test: test)
        #expect(data.name == "iris-train" && data.classCount == 5 && data.featureShape == [2])
        #expect(data.train.count == 3 && data.test.features == [7, 8])
        let wide = try directory.write("a,b,c,label\n7,8,9,0\n", to: "wide.csv")
        expectError(mentioning: [wide, "3 feature columns", train, "has 2"]) { try Dataset.csv(train: train, test: wide) }
    }

    @Test("a data set from one file holds out a stratified test part; a regression file gives no class count")
    func dataSetFromOneFile() throws {
        let directory = try TemporaryDirectory()
        let rows = (0..<40).map { "\($0),\($0 % 2)" }.joined(separator: "\n")
        let path = try directory.write("x,label\n" + rows + "\n", to: "parity.csv")
        let data = try Dataset.csv(train: path, testFraction: 0.25, rng: RandomStream(seed: 3))
        #expect(data.train.count == 30 && data.test.count == 10)
        #expect(classCounts(data.test, classCount: 2) == [5, 5])
        #expect(Set(data.train.features + data.test.features) == Set((0..<40).map(Float.init)))
        let regression = try Dataset.csv(train: path, reader: CSVReader(targets: .regression), testFraction: 0.25)
        #expect(regression.classCount == nil && regression.test.count == 10)
    }

    @Test("decimal parsing agrees with Float(String) on fast-path and fallback spellings")
    func decimalParsing() {
        let spellings = [
            "0", "-0", "+7", "1.5", ".5", "5.", "-123.456", "0.1", "3.14159265", "999999999", "1234567890123",
            "16777217", "1e10", "1.5e-7", "2E+3", "1e-45", "3.4028235e38", "0.000000000001", "12345678.9", "inf", "-nan", "0x1p3",
            "-53.123456", "1e22", "1e23", "123456789012345", "1234567890123456", "9007199254740993",
            // Float midpoints, exactly and nearly: 1 + 2⁻²⁴ (between 1 and 1 + 2⁻²³), 1 + 3·2⁻²⁴, 2²⁴ + 1.
            "1.000000059604644775390625", "1.00000005960464477539", "1.00000005960464", "1.00000017881393432617",
            "16777217.0", "16777219",
            // 15-digit decimals whose nearest Double is a Float midpoint: rounding that Double again would err.
            "1.21931788044094e-06", "1.34368468707180e-06", "1.80242358283067e-06", "1.47063821032134e-06",
        ]
        for text in spellings {
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { DecimalParser().parse($0) }
            let expected = Float(text)
            #expect(parsed == expected || (parsed?.isNaN == true && expected?.isNaN == true), "\(text)")
        }
        for text in ["", "-", ".", "1e", "1e+", "1.2.3", "abc", "1 2", "--1", "e5"] {
            #expect(Array(text.utf8).withUnsafeBufferPointer { DecimalParser().parse($0) } == nil, "\(text)")
        }
        #expect(Array("0.1".utf8).withUnsafeBufferPointer { DecimalParser().parse($0) } == Float(0.1))
        // Random decimals of 6 to 15 significant digits, compared with the standard library.
        let parser = DecimalParser()
        var rng = RandomStream(seed: 12)
        var mismatches: [String] = []
        for _ in 0..<5_000 {
            let digits = 6 + rng.index(below: 10)
            let mantissa = String((0..<digits).map { _ in Character(Unicode.Scalar(UInt8(48 + rng.index(below: 10)))) })
            let point = rng.index(below: digits + 1)
            let text = "\(mantissa.prefix(point)).\(mantissa.dropFirst(point))e\(rng.index(below: 30) - 15)"
            if Array(text.utf8).withUnsafeBufferPointer({ parser.parse($0) }) != Float(text) { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}
