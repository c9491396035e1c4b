import Foundation
import Testing
import WeightLabFuzzHarness

/// A state `wl_restore` refuses leaves no optimizer behind. Each session runs on a thread of its
/// own that holds it until it is closed; a refused state once left both, about 17 KB and one
/// parked thread per call (the `c-state` fuzz target ran out of memory after 120,000 inputs).
@Suite struct CStateThreadTests {
    static func threadCount() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count
    }

    @Test func aRefusedStateLeavesNoThreadBehind() throws {
        let seed = FuzzRegressionTests.fuzz.appendingPathComponent("Corpus/c-state/ga.state")
        let text = String(decoding: try Data(contentsOf: seed), as: UTF8.self)
        // Refused after the session has started its thread: the setup and incumbent fit, the
        // parents' matrix does not (8 × 2 with 24 values).
        #expect(text.contains(#""parents":{"count":8,"dimension":3"#))
        let bytes = Data(text.replacingOccurrences(of: #""parents":{"count":8,"dimension":3"#, with: #""parents":{"count":8,"dimension":2"#).utf8)
        let before = try Self.threadCount()
        for _ in 0..<60 {
            let error = FuzzHarness.cState.run(bytes)
            #expect(error != nil)
        }
        let after = try Self.threadCount()
        #expect(after - before < 30, "threads before: \(before), after 60 refused states: \(after)")
    }
}
