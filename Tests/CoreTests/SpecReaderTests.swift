import Testing
@testable import WeightLabCore

/// The one reader of specifications: an experiment file's object names file, line and path in
/// its errors; an optimizer's parameters keep their own messages.
@Suite struct SpecReaderTests {
    private let source = SpecSource(file: "x.yaml", lines: ["dataset": 2, "dataset.validation": 3])

    @Test func fileObjectsNameFileLineAndPath() throws {
        let dataset = SpecValue.object(["validation": .number(2), "name": .string("digits"), "extra": .bool(true)])
        let reader = try ParameterReader(dataset, path: "dataset", source: source)
        #expect(try reader.string("name") == "digits")
        #expect(performing: { _ = try reader.number("validation", in: 0...0.9) }, throws: { error in
            (error as? WeightLabError)?.message == "x.yaml:3: dataset.validation: 2 is out of range: expected a number in [0, 0.9]"
        })
        // "extra" has no line of its own: the error takes its enclosing object's.
        #expect(performing: { try reader.finishFields() }, throws: { error in
            (error as? WeightLabError)?.message == "x.yaml:2: dataset.extra: unknown field; known fields here: name, validation"
        })
    }

    @Test func aValueThatIsNoObjectIsRefusedWhereItWasWritten() {
        #expect(performing: { _ = try ParameterReader(.number(1), path: "dataset", source: source) }, throws: { error in
            (error as? WeightLabError)?.message == "x.yaml:2: dataset: expected an object of fields, got a number (1)"
        })
    }

    @Test func withoutAFileErrorsStartWithThePath() {
        let reader = ParameterReader(OptimizerSpec(name: "adam", parameters: ["beta1": .string("x")], path: "--optimizer"))
        #expect(reader.error("beta1", "bad").message == "--optimizer.beta1: bad")
        #expect(performing: { try reader.finish(declared: ["beta1", "beta2"]) }, throws: { error in
            (error as? WeightLabError)?.message == "--optimizer: unknown parameter beta1 for adam; known: beta1, beta2"
        })
    }
}
