import Foundation
import Testing
import WeightLab

/// The one run assembly the command line and the experiment runner share.
@Suite struct NetworkRunTests {
    func description(_ dataset: Dataset, stopping: StoppingPlan = StoppingPlan(steps: 6)) throws -> NetworkRunDescription {
        let network = try Network.perceptron(inputs: dataset.featureCount, hidden: [4], outputs: dataset.classCount ?? dataset.train.targetWidth)
        return NetworkRunDescription(
            dataset: dataset, network: network, initializer: .xavierUniform, batchSize: 16, problemStream: RandomStream(seed: 2),
            optimizer: try OptimizerSpec(parsing: #"{"optimizer": "adam", "learningRate": 0.01}"#), stopping: stopping, seed: 3)
    }

    @Test func classesTrainWithCrossEntropyAndTargetsWithSquaredError() throws {
        let moons = try Dataset.named("moons", syntheticCount: 64)
        let sine = try Dataset.named("sine", syntheticCount: 64)
        #expect(try NetworkRun(description(moons), registry: .standard).objective.lossFunction == .softmaxCrossEntropy)
        #expect(try NetworkRun(description(sine), registry: .standard).objective.lossFunction == .meanSquaredError)
    }

    /// The assembled run is the chain written out by hand: the same trace, bit for bit.
    @Test func theAssembledRunIsTheChainByHand() throws {
        let moons = try Dataset.named("moons", syntheticCount: 64)
        let assembled = try NetworkRun(description(moons), registry: .standard).trainer.run()
        let network = try Network.perceptron(inputs: 2, hidden: [4], outputs: 2)
        let problem = try Problem(
            objective: NetworkObjective(network: network, loss: .softmaxCrossEntropy), training: moons.train, batchSize: 16,
            rng: RandomStream(seed: 2)) { rng in network.initialWeights(.xavierUniform, rng: &rng) }
        let configuration = RunConfiguration(
            stopping: [.steps(6)], validation: moons.validation.count > 0 ? moons.validation : nil, test: moons.test, seed: 3)
        let byHand = try Trainer(try Adam(learningRate: 0.01), on: problem, configuration: configuration).run()
        #expect(assembled.weights.map(\.bitPattern) == byHand.weights.map(\.bitPattern))
        #expect(assembled.trace.rows.map(\.loss) == byHand.trace.rows.map(\.loss))
    }

    @Test func thePlanListsItsRulesInTheOrderThatNamesTheReason() {
        let plan = StoppingPlan(units: 100, epochs: 2, seconds: 5, steps: 7, earlyStopping: EarlyStopping(patience: 3), targetLoss: 0.1)
        #expect(plan.rules == [.costUnits(100), .epochs(2), .wallSeconds(5), .steps(7), .earlyStopping(EarlyStopping(patience: 3)), .targetLoss(0.1)])
        #expect(!StoppingPlan(targetLoss: 0.1).isBounded)
    }
}
