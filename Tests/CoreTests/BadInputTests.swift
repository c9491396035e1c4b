import Testing
@testable import WeightLabCore

@Suite struct BadInputTests {
    let network = try! Network.perceptron(inputs: 4, hidden: [3], outputs: 2)

    @Test func wrongInputWidth() throws {
        let objective = NetworkObjective(network: network)
        var rng = RandomStream(seed: 1)
        let w = network.initialWeights(.heNormal, rng: &rng)
        let batch = randomClassification(count: 5, features: 3, classes: 2, seed: 1)
        #expect(throws: WeightLabError.shape("input width (features per sample)", expected: 4, actual: 3)) {
            try objective.loss(at: w, on: batch)
        }
    }

    @Test func wrongParameterCount() throws {
        let objective = NetworkObjective(network: network)
        let batch = randomClassification(count: 5, features: 4, classes: 2, seed: 1)
        #expect(throws: WeightLabError.shape("weight vector length", expected: network.parameterCount, actual: 3)) {
            try objective.loss(at: [1, 2, 3], on: batch)
        }
    }

    @Test func emptyBatch() throws {
        let objective = NetworkObjective(network: network)
        var rng = RandomStream(seed: 1)
        let w = network.initialWeights(.heNormal, rng: &rng)
        let empty = Samples(features: [], featureCount: 4, labels: [])
        #expect(throws: WeightLabError.self) { try objective.loss(at: w, on: empty) }
        var g = [Float]()
        #expect(throws: WeightLabError.self) { try objective.lossAndGradient(at: w, on: empty, into: &g, rng: &rng) }
    }

    @Test func labelOutsideTheOutputWidth() throws {
        let objective = NetworkObjective(network: network)
        var rng = RandomStream(seed: 1)
        let w = network.initialWeights(.heNormal, rng: &rng)
        let batch = Samples(features: [0, 0, 0, 0], featureCount: 4, labels: [5])
        #expect(throws: WeightLabError.self) { try objective.loss(at: w, on: batch) }
    }

    @Test func invalidHyperparameters() {
        #expect(throws: WeightLabError.self) { try Network.perceptron(inputs: 4, hidden: [3], outputs: 2, dropout: 1) }
        #expect(throws: WeightLabError.self) { try Network.perceptron(inputs: 4, hidden: [3], outputs: 2, dropout: .nan) }
        #expect(throws: WeightLabError.self) { try Network(inputWidth: 4, layers: [.dense(units: 0)]) }
        #expect(throws: WeightLabError.self) { try Network(inputWidth: 0, layers: [.dense(units: 2)]) }
        #expect(throws: WeightLabError.self) { try Network(inputWidth: 4, layers: [.activation(.relu)]) }
        #expect(throws: WeightLabError.self) { try Network(inputWidth: 4, layers: [.dense(units: 2), .activation(.elu(alpha: .infinity))]) }
        #expect(throws: WeightLabError.self) { try Network(inputWidth: 4, layers: [.dense(units: 2), .batchNorm(momentum: 2, epsilon: 1e-5)]) }
        #expect(throws: WeightLabError.self) { try Regularizer(l2: -1) }
        #expect(throws: WeightLabError.self) { try Regularizer(l1: .nan) }
    }

    @Test func unknownOptimizerAndParameterNameTheKnownOnes() throws {
        var registry = OptimizerRegistry()
        registry.register("demo", family: "test", summary: "a test entry") { reader, _ in
            _ = try reader.value(Parameter("learningRate", default: Float(0.1), .within(0...10), "the step"))
            return NoOptimizer()
        }
        do {
            _ = try registry.make(OptimizerSpec(name: "adamm"))
            Issue.record("expected an error")
        } catch let error as WeightLabError {
            #expect(error.message.contains("unknown optimizer 'adamm'") && error.message.contains("demo"))
        }
        do {
            _ = try registry.make(OptimizerSpec(name: "demo", parameters: ["lr": .number(1)]))
            Issue.record("expected an error")
        } catch let error as WeightLabError {
            #expect(error.message.contains("lr") && error.message.contains("learningRate"))
        }
        do {
            _ = try registry.make(OptimizerSpec(name: "demo", parameters: ["learningRate": .number(50)]))
            Issue.record("expected an error")
        } catch let error as WeightLabError {
            #expect(error.message.contains("optimizer.learningRate") && error.message.contains("[0, 10]"))
        }
    }
}

/// An optimizer that does nothing, for registry tests.
struct NoOptimizer: WeightOptimizer {
    var name: String { "none" }
    func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> [Float] { initial }
    func step(_ state: inout [Float], _ problem: Problem, run: inout RunState) throws -> StepReport { StepReport(loss: 0) }
    func incumbent(_ state: [Float]) -> [Float] { state }
}
