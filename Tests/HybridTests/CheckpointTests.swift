import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabHybrid

/// A nested combiner checkpoints and resumes on the identical trajectory: the parts' states
/// travel as type-erased JSON inside the combiner's state and are decoded on first use.
@Suite struct CheckpointTests {
    static let specifications = [
        """
        {"optimizer": "sequential", "parts": [
          {"optimizer": "memetic", "population": {"optimizer": "ga", "populationSize": 4},
           "local": {"optimizer": "adam", "learningRate": 0.02, "steps": 3}, "mode": "baldwinian", "until": {"steps": 4}},
          {"optimizer": "pbt", "trainer": {"optimizer": "adam", "learningRate": 0.02}, "populationSize": 3, "interval": 3}]}
        """,
        """
        {"optimizer": "portfolio", "budget": 30000, "parts": [
          {"optimizer": "esgd", "trainers": [{"optimizer": "adam"}, {"optimizer": "rmsprop"}], "populationSize": 3, "interval": 4},
          {"optimizer": "sequential", "parts": [{"optimizer": "pso", "populationSize": 5, "until": {"units": 3000}}, {"optimizer": "momentum"}]}]}
        """,
        // The inner Adam steps on mini-batches lent by the outer problem, whose order the checkpoint keeps.
        """
        {"optimizer": "principal-subspace", "components": 1, "whitening": 0.5, "inner":
          {"optimizer": "sequential", "parts": [
            {"optimizer": "openai-es", "populationSize": 4, "until": {"steps": 5}},
            {"optimizer": "adam", "learningRate": 0.02}]}}
        """,
        // Checkpointed at step 27, between generation 26, which chose the emigrants, and the migration at 27.
        """
        {"optimizer": "islands", "islands": 3, "migrants": 2, "interval": 3, "topology": "random",
         "island": {"optimizer": "ga", "populationSize": 6}}
        """,
    ]

    @Test(arguments: specifications)
    func aResumedRunMatchesOneThatNeverStopped(_ specification: String) throws {
        let steps = 60
        let straight = try run(try optimizer(specification), on: try Moons(), steps: steps, seed: 8)
        let file = temporaryFile("checkpoint.json")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try run(try optimizer(specification), on: try Moons(), steps: 27, seed: 8, checkpoint: CheckpointPolicy(url: file, everySteps: 100))
        let moons = try Moons()
        let configuration = RunConfiguration(stopping: [.steps(steps)], recording: .everyStep, test: moons.data.test, seed: 8)
        let resumed = try Trainer(try optimizer(specification), on: moons.problem, configuration: configuration).resume(from: file)
        #expect(resumed.steps == steps)
        #expect(bits(resumed.weights) == bits(straight.weights))
        #expect(sameRows(resumed.trace, straight.trace))
        #expect(resumed.costUnits == straight.costUnits)
    }
}
