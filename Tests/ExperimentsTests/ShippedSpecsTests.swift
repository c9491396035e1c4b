import Foundation
import Testing
import WeightLab
@testable import WeightLabExperiments

/// Every spec in `experiments/` reads and validates against the standard registry, in full and
/// in quick mode: a spec that would fail only when someone runs it is caught here.
@Suite struct ShippedSpecsTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("experiments")

    static var specs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func theSurveyExperimentsAndTheDemoAreShipped() {
        #expect(Self.specs.filter { $0.first?.isNumber == true }.count >= 11)
        #expect(Self.specs.contains("demo.yaml"))
    }

    @Test(arguments: specs)
    func shippedSpecValidates(file: String) throws {
        let path = Self.directory.appendingPathComponent(file).path
        for quick in [false, true] {
            let experiment = try ExperimentSpec.load(path: path, quick: quick)
            try experiment.validate(with: OptimizerRegistry.standard)
            #expect(experiment.name + ".yaml" == file)
            if let baseline = experiment.baseline { #expect(experiment.variant(named: baseline) != nil) }
        }
    }
}
