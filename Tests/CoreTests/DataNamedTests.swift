import Testing
@testable import WeightLabCore

@Suite struct DataNamedTests {
    @Test func syntheticAndEmbeddedSetsByName() throws {
        let moons = try Dataset.named("moons", syntheticCount: 40)
        #expect(moons.train.count == 40 && moons.test.count == 10 && moons.classCount == 2)
        let digits = try Dataset.named("digits")
        #expect(digits.featureCount == 64 && digits.train.count + digits.test.count == 1797)
    }

    @Test func unknownOrMalformedNamesListTheKnownOnes() {
        do {
            _ = try Dataset.named("imagenet")
            Issue.record("expected an error")
        } catch let error as WeightLabError {
            #expect(error.message.contains("unknown data set 'imagenet'") && error.message.contains("csv:PATH"))
        } catch { Issue.record("unexpected \(error)") }
        #expect(throws: WeightLabError.self) { try Dataset.named("csv:") }
        #expect(throws: WeightLabError.self) { try Dataset.named("moons:3") }
        #expect(throws: WeightLabError.self) { try Dataset.named("idx:/nonexistent/directory") }
    }
}
