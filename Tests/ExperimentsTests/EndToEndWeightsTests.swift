import Foundation
import Testing
import WeightLab
@testable import WeightLabExperiments

/// The same trial gives the same weights, bit for bit, through the real executor: alone, and
/// again while another trial trains beside it (as `--jobs 2` runs them). Validation accuracy
/// alone would not see a change in the last bits of a weight.
@Suite struct EndToEndWeightsTests {
    private let moons = """
        name: moons-weights
        dataset: {name: moons, samples: 240, validation: 0.25}
        network: {hidden: [8], activation: tanh, initializer: xavier}
        optimizer: {optimizer: adam, learningRate: 0.01}
        budget: {epochs: 4}
        batchSize: 32
        seeds: 2
        baseline: adam
        variants: [{name: adam}, {name: pgpe, optimizer: {optimizer: pgpe}}]
        """

    @Test func theSameTrialGivesTheSameWeightBitsAloneAndBesideAnother() throws {
        let experiment = try spec(moons)
        let executor = NetworkTrialExecutor(registry: OptimizerRegistry.standard)
        try executor.prepare(experiment.variants)
        for trial in experiment.trials.prefix(3) {
            let alone = try executor.train(trial) { _ in }.0
            let neighbour = experiment.trials.last!
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                _ = try? executor.train(neighbour) { _ in }
                done.signal()
            }
            thread.start()
            let beside = try executor.train(trial) { _ in }.0
            done.wait()
            #expect(alone.weights.map(\.bitPattern) == beside.weights.map(\.bitPattern), "\(trial.variant.name) seed \(trial.seed)")
            #expect(alone.steps == beside.steps && alone.costUnits == beside.costUnits)
        }
        let first = try executor.train(experiment.trials[0]) { _ in }.0
        let otherSeed = try executor.train(experiment.trials[1]) { _ in }.0
        #expect(first.weights.map(\.bitPattern) != otherSeed.weights.map(\.bitPattern), "the seed matters")
    }
}
