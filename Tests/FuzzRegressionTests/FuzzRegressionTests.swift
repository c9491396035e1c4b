import Foundation
import Testing
import WeightLabCore
import WeightLabFuzzHarness

/// The fuzz corpora, replayed by the ordinary tests: every input a fuzz run found crashing,
/// hanging or allocating without bound (saved in `Tests/Fuzz/Regressions/<target>/`) now gets
/// a thrown error that names the input (the file, the option, or for the C ABI a message beside
/// the code), and every seed (`Tests/Fuzz/Corpus/<target>/`, valid
/// files) is still read without error. Read through `FileBytes`: Foundation's readers leak on the
/// empty files among them (AddressSanitizer's leak check). Serialized: both tests of one target
/// write the harness's one input file for that target.
@Suite(.serialized) struct FuzzRegressionTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func inputs(_ folder: String, _ target: FuzzHarness) -> [URL] {
        let directory = fuzz.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzHarness.allCases)
    func everySavedFindingGetsAnErrorNamingTheInput(_ target: FuzzHarness) throws {
        for input in Self.inputs("Regressions", target) {
            let error = target.run(Data(try FileBytes.readRaw(input.path)))
            #expect(error != nil, "\(input.lastPathComponent) was accepted")
            if let error { #expect(target.errorNamesTheInput(error), "\(input.lastPathComponent): \(error)") }
        }
    }

    @Test(arguments: FuzzHarness.allCases)
    func everySeedIsAValidFile(_ target: FuzzHarness) throws {
        let seeds = Self.inputs("Corpus", target)
        #expect(!seeds.isEmpty, "no seed corpus for \(target.rawValue)")
        for seed in seeds {
            let error = target.run(Data(try FileBytes.readRaw(seed.path)))
            #expect(error == nil, "\(seed.lastPathComponent): \(error.map { "\($0)" } ?? "")")
        }
    }

    /// Rewrites the checkpoint, weights and C ABI state seeds (after a format change): run with
    /// WEIGHTLAB_WRITE_FUZZ_SEEDS=1 `swift test --filter writeSeeds`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["WEIGHTLAB_WRITE_FUZZ_SEEDS"] != nil))
    func writeSeeds() throws {
        try FuzzHarness.writeSeeds(into: Self.fuzz.appendingPathComponent("Corpus"))
    }
}
