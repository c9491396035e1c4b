import Foundation
import Testing
@testable import WeightLabCore

/// The one JSON value's text, as `train --json` and `optimize --json` print it: keys sorted by
/// bytes (`step_seconds` before `steps`), integral numbers without a fraction, a Float widened to
/// Double in its shortest round-trip form, `null` for what is missing or not finite.
@Suite struct SpecValueJSONTests {
    @Test func textPinsKeysNumbersNullAndNesting() throws {
        let value = SpecValue.object([
            "steps": .number(200),
            "step_seconds": .number(0.25),
            "loss": .number(finite: Float(0.1)),
            "x": .list([.number(finite: Float.nan), .number(-0.5), .number(1e-5), .number(1e300)]),
            "validation_accuracy": .number(finite: Float?.none),
            "test_loss": .number(finite: Double.infinity),
            "status": .string("diverged at step 3"),
            "nested": .object(["b": .bool(true), "a": .list([]), "path": .string("runs/a.csv")]),
        ])
        let written = #"{"loss":0.10000000149011612,"nested":{"a":[],"b":true,"path":"runs\/a.csv"},"#
            + #""status":"diverged at step 3","step_seconds":0.25,"steps":200,"test_loss":null,"#
            + #""validation_accuracy":null,"x":[null,-0.5,1e-05,1e+300]}"#
        #expect(try value.jsonText() == written)
    }

    @Test func aNonFiniteNumberIsRefusedNotWritten() {
        #expect(throws: (any Error).self) { try SpecValue.number(.nan).jsonText() }
    }

    @Test func nullReadsBackAndReadersRejectIt() throws {
        let decoded = try JSONDecoder().decode(SpecValue.self, from: Data(#"{"a":null,"b":[1,null]}"#.utf8))
        #expect(decoded == .object(["a": .null, "b": .list([.number(1), .null])]))
        #expect(try decoded.jsonText() == #"{"a":null,"b":[1,null]}"#)
        let reader = ParameterReader(OptimizerSpec(name: "adam", parameters: ["learningRate": .null]))
        #expect(throws: WeightLabError.self) { _ = try reader.value(Parameter("learningRate", default: Float(0.001), .positive, "step size")) }
    }
}
