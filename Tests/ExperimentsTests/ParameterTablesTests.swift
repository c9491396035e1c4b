import Foundation
import Testing
import WeightLab

/// The parameter tables in docs/ are the declarations, as `weightlab optimizers NAME` prints
/// them: every registered optimizer has exactly one block, equal to its declarations.
@Suite struct ParameterTablesTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../docs").standardized

    /// The generated blocks of `docs/*.md`, by optimizer name.
    static func blocks() throws -> [String: [String]] {
        var found: [String: [String]] = [:]
        let pattern = /<!-- parameters: ([a-z0-9-]+) [^\n]*-->\n(.*?)\n<!-- end parameters -->/.dotMatchesNewlines()
        for file in try FileManager.default.contentsOfDirectory(atPath: docs.path) where file.hasSuffix(".md") {
            let text = try String(contentsOf: docs.appending(path: file), encoding: .utf8)
            for match in text.matches(of: pattern) {
                found[String(match.1), default: []].append(String(match.2))
            }
        }
        return found
    }

    @Test func everyRegisteredOptimizerHasOneTableEqualToItsDeclarations() throws {
        let blocks = try Self.blocks()
        let registry = OptimizerRegistry.standard
        #expect(Set(blocks.keys) == Set(registry.names), "docs/ tables for unregistered optimizers, or registered ones without a table")
        for entry in registry.all {
            #expect(!entry.parameters.isEmpty, "\(entry.name) declares no parameters")
            let expected = ParameterInfo.table(entry.parameters)
            #expect(blocks[entry.name] == [expected], "docs/ table of \(entry.name) differs from its declarations; expected:\n\(expected)")
        }
    }

    @Test func anUnknownParameterListsTheDeclaredOnes() throws {
        // coolingMoves is read only under a linear schedule, yet the declaration names it.
        #expect {
            _ = try OptimizerRegistry.standard.make(OptimizerSpec(parsing: #"{"optimizer": "sa", "coolingRat": 0.9}"#, path: "x"))
        } throws: { error in
            let message = (error as? WeightLabError)?.message ?? ""
            return message.contains("unknown parameter coolingRat") && message.contains("coolingMoves")
        }
    }
}
