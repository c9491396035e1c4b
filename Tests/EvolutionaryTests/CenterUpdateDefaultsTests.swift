import Testing
import WeightLabCore
@testable import WeightLabEvolutionary

/// Each gradient-estimating strategy declares its default center update once: a specification
/// that leaves the update out reads back exactly that value, and the parameter table shows its
/// rule and learning rate.
@Suite struct CenterUpdateDefaultsTests {
    static func reader(_ name: String, _ parameters: [String: SpecValue] = [:]) -> ParameterReader {
        ParameterReader(OptimizerSpec(name: name, parameters: parameters))
    }

    static func row(_ infos: [ParameterInfo], _ name: String) -> String? {
        infos.first { $0.name == name }?.defaultText
    }

    @Test func aSpecificationWithoutAnUpdateReadsTheDeclaredDefault() throws {
        #expect(try OpenAIES(parameters: Self.reader("openai-es")).update == OpenAIES.Parameters.update)
        #expect(try PGPE(parameters: Self.reader("pgpe")).update == PGPE.Parameters.update)
        #expect(try SNES(parameters: Self.reader("snes")).update == SNES.Parameters.update)
        #expect(try OpenAIES().update == OpenAIES.Parameters.update)
    }

    @Test func theTablesShowTheDeclaredRuleAndRate() {
        #expect(Self.row(OpenAIES.Parameters.infos, "update") == "`adam`")
        #expect(Self.row(PGPE.Parameters.infos, "update") == "`clipup`")
        #expect(Self.row(SNES.Parameters.infos, "update") == "`sgd`")
        #expect(Self.row(PGPE.Parameters.infos, "learningRate") == "0.15")
    }

    @Test func aGivenRuleReplacesTheDefault() throws {
        let update = try OpenAIES(parameters: Self.reader("openai-es", ["update": .string("clipup"), "learningRate": .number(0.2)])).update
        #expect(update.ruleName == "clipup" && update.learningRate == 0.2)
    }
}
