import Testing
@testable import WeightLabCore

/// Each initializer's standard deviation, and the per-weight scales a network hands its
/// problem for step-size defaults.
@Suite struct InitialScalesTests {
    /// The formula against the draws themselves: 200,000 weights of a 50→30 layer, whose sample
    /// standard deviation is within 1% of it (its standard error is about 0.2%).
    @Test(arguments: [Initializer.uniform(scale: 0.3), .normal(standardDeviation: 0.07), .xavierUniform, .xavierNormal, .heUniform, .heNormal, .lecunNormal])
    func theStandardDeviationIsThatOfTheDraws(_ initializer: Initializer) {
        var weights = [Float](repeating: 0, count: 200_000)
        var rng = RandomStream(seed: 3)
        weights.withUnsafeMutableBufferPointer { initializer.fill($0, fanIn: 50, fanOut: 30, rng: &rng) }
        let mean = weights.reduce(0, +) / Float(weights.count)
        let sd = (weights.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(weights.count)).squareRoot()
        let expected = initializer.standardDeviation(fanIn: 50, fanOut: 30)
        #expect(abs(sd - expected) < 0.01 * expected, "\(initializer): drawn \(sd), formula \(expected)")
    }

    /// Weights and biases of a layer take its initializer's σ; PReLU slopes and batch-norm
    /// parameters, which it does not draw, take the σ of the weights before them.
    @Test func everyWeightTakesItsLayersScale() throws {
        let network = try Network(inputWidth: 8, layers: [.dense(units: 4), .batchNorm, .activation(.prelu(initialSlope: 0.25)), .dense(units: 3)])
        let scales = network.initialScales(.heNormal)
        #expect(scales.count == network.parameterCount)
        let first = (2 / Float(8)).squareRoot()
        let second = (2 / Float(4)).squareRoot()
        let dense1 = network.layouts[0].parameterCount
        let normalized = network.layouts[1].parameterCount + network.layouts[2].parameterCount
        #expect(dense1 == 8 * 4 + 4 && normalized == 2 * 4 + 4)
        #expect(scales[0..<dense1].allSatisfy { $0 == first }, "weights and biases of the first layer")
        #expect(scales[dense1..<(dense1 + normalized)].allSatisfy { $0 == first }, "batch norm and PReLU take the first layer's scale")
        #expect(scales[(dense1 + normalized)...].allSatisfy { $0 == second })
    }

    /// With a box the box decides; on a network, the scales; else the absolute default.
    @Test func stepDefaultsFollowTheBoxThenTheNetwork() throws {
        let f = try AnalyticFunction(.sphere, dimension: 3)
        let boxed = try Problem(function: f, box: f.standardBox)
        #expect(boxed.stepDefaults(share: 0.1, layerShare: 0.5, otherwise: 7) == [Float](repeating: 0.1 * 10.24, count: 3))
        let plain = try Problem(function: f)
        #expect(plain.stepDefaults(share: 0.1, layerShare: 0.5, otherwise: 7) == [7, 7, 7])
        let network = try Network(inputWidth: 2, layers: [.dense(units: 2)])
        let scales = network.initialScales(.xavierNormal)
        let onNetwork = try Problem(objective: NetworkObjective(network: network), weightScales: scales) { _ in [Float](repeating: 0, count: 6) }
        #expect(onNetwork.stepDefaults(share: 0.1, layerShare: 0.5, otherwise: 7) == scales.map { 0.5 * $0 })
    }
}
