import Testing
import WeightLabCore
@testable import WeightLabHybrid

/// Nested specifications: the registry names, and clear errors for invalid nesting.
@Suite struct SpecificationTests {
    @Test func theFamilyRegistersItsEightCombiners() {
        var registry = OptimizerRegistry()
        HybridFamily.register(in: &registry)
        #expect(registry.names == ["esgd", "ipop", "islands", "memetic", "pbt", "portfolio", "principal-subspace", "sequential"])
        #expect(registry.all.allSatisfy { $0.family == "hybrid" })
    }

    @Test func combinersNest() throws {
        let chain = try optimizer("""
            {"optimizer": "sequential", "parts": [
              {"optimizer": "memetic", "population": {"optimizer": "ga", "populationSize": 4},
               "local": {"optimizer": "adam", "steps": 2}, "until": {"steps": 2}},
              {"optimizer": "pbt", "trainer": {"optimizer": "adam"}, "populationSize": 2, "interval": 1}]}
            """)
        let result = try run(chain, on: try Moons(), steps: 5)
        #expect(result.trace.rows.map(\.part) == ["1:memetic/ga+adam", "1:memetic/ga+adam", "2:pbt/member 1", "2:pbt/member 2", "2:pbt/exploit/explore"])
    }

    static let invalid: [(String, String)] = [
        (#"{"optimizer": "memetic", "population": {"optimizer": "sa"}, "local": {"optimizer": "adam"}}"#,
         "optimizer.population: 'sa' is a single-point method, but memetic needs a population method"),
        (#"{"optimizer": "memetic", "population": {"optimizer": "ga"}}"#,
         "optimizer.local: memetic needs this part"),
        (#"{"optimizer": "memetic", "population": {"optimizer": "ga"}, "local": {"optimizer": "de"}}"#,
         "optimizer.local: 'de' is a population method, but memetic trains single points here"),
        (#"{"optimizer": "memetic", "population": {"optimizer": "ga"}, "local": {"optimizer": "adam", "steps": 0}}"#,
         "optimizer.local.steps = 0 is invalid"),
        (#"{"optimizer": "esgd", "trainer": {"optimizer": "ga"}}"#,
         "optimizer.trainer: 'ga' is a population method, but esgd trains single points here"),
        (#"{"optimizer": "esgd"}"#, "optimizer.trainer: esgd needs this part"),
        (#"{"optimizer": "pbt", "trainer": {"optimizer": "adam"}, "hyperparameters": ["beta1"]}"#,
         "optimizer.trainer: pbt tunes 'beta1', so the specification needs a starting value"),
        (#"{"optimizer": "pbt", "trainer": {"optimizer": "adam"}, "hyperparameters": ["weightDecay"]}"#,
         "optimizer.trainer.weightDecay starts at 0.0"),
        (#"{"optimizer": "sequential", "parts": [{"optimizer": "ga"}, {"optimizer": "adam"}]}"#,
         "optimizer.parts[0]: every part but the last needs an \"until\" rule"),
        (#"{"optimizer": "sequential", "parts": [{"optimizer": "ga", "until": {"share": 0.1}}, {"optimizer": "adam"}]}"#,
         "optimizer.parts[0].until.share: a share needs the sequential's \"budget\""),
        (#"{"optimizer": "sequential", "parts": [{"optimizer": "ga", "until": {"epochs": 2}}, {"optimizer": "adam"}]}"#,
         "optimizer.parts[0].until: unknown parameter epochs"),
        (#"{"optimizer": "sequential", "parts": [{"optimizer": "adam", "until": {"steps": 5}}, {"optimizer": "memetic", "population": {"optimizer": "adam"}, "local": {"optimizer": "adam"}}]}"#,
         "optimizer.parts[1].population: 'adam' is a single-point method"),
        (#"{"optimizer": "portfolio", "parts": [{"optimizer": "adam"}, {"optimizer": "ga"}]}"#,
         "optimizer.budget: portfolio needs the run's cost budget"),
        (#"{"optimizer": "portfolio", "budget": 1000, "parts": [{"optimizer": "adam"}]}"#,
         "optimizer.parts: portfolio needs a list of at least two parts"),
        (#"{"optimizer": "memetic", "population": {"optimizer": "ga"}, "local": {"optimizer": "adam"}, "mode": "darwinian"}"#,
         "optimizer.mode = darwinian is invalid for memetic: expected one of lamarckian, baldwinian"),
        (#"{"optimizer": "principal-subspace", "components": 8}"#, "optimizer.inner: principal-subspace needs this part"),
        (#"{"optimizer": "principal-subspace", "whitening": 2, "inner": {"optimizer": "ga"}}"#,
         "optimizer.whitening = 2 is invalid for principal-subspace"),
        (#"{"optimizer": "principal-subspace", "inner": {"optimizer": "adam", "beta3": 1}}"#,
         "optimizer.inner: unknown parameter beta3"),
    ]

    @Test(arguments: invalid)
    func invalidNestingIsAClearErrorNamingThePath(_ json: String, _ message: String) {
        do {
            _ = try optimizer(json)
            Issue.record("accepted \(json)")
        } catch let error as WeightLabError {
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
