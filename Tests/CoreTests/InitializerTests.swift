import Testing
@testable import WeightLabCore

@Suite struct InitializerTests {
    /// Sample mean and variance of a 512×512 layer against each initializer's formula.
    static let cases: [(Initializer, Double)] = [
        (.uniform(scale: 0.1), 0.01 / 3),
        (.normal(standardDeviation: 0.05), 0.0025),
        (.xavierUniform, 2.0 / 1024),  // a²/3 with a = √(6/1024)
        (.xavierNormal, 2.0 / 1024),
        (.heUniform, 2.0 / 512),  // a²/3 with a = √(6/512)
        (.heNormal, 2.0 / 512),
        (.lecunNormal, 1.0 / 512),
    ]

    @Test(arguments: cases)
    func momentsMatchTheFormula(_ initializer: Initializer, _ variance: Double) throws {
        let network = try Network(inputWidth: 512, layers: [.dense(units: 512)])
        var rng = RandomStream(seed: 42)
        let weights = network.initialWeights(initializer, rng: &rng)
        let matrix = weights[0..<(512 * 512)].map(Double.init)
        let mean = matrix.reduce(0, +) / Double(matrix.count)
        let sampleVariance = matrix.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(matrix.count - 1)
        // 262,144 draws: the mean's standard error is √(v/n) ≈ 0.002·√v; allow 5 of them.
        #expect(abs(mean) < 5 * (variance / Double(matrix.count)).squareRoot())
        #expect(abs(sampleVariance / variance - 1) < 0.02, "variance \(sampleVariance), expected \(variance)")
        #expect(weights[(512 * 512)...].allSatisfy { $0 == 0 }, "biases start at zero")
    }

    @Test func batchNormAndPReLUStartAtTheirNeutralValues() throws {
        let network = try Network(inputWidth: 3, layers: [.dense(units: 4), .batchNorm, .activation(.prelu(initialSlope: 0.2)), .dense(units: 2)])
        var rng = RandomStream(seed: 1)
        let w = network.initialWeights(.heNormal, rng: &rng)
        let bn = network.layouts[1].parameterOffset
        let prelu = network.layouts[2].parameterOffset
        #expect(Array(w[bn..<(bn + 4)]) == [1, 1, 1, 1])
        #expect(Array(w[(bn + 4)..<(bn + 8)]) == [0, 0, 0, 0])
        #expect(Array(w[prelu..<(prelu + 4)]) == [0.2, 0.2, 0.2, 0.2])
        #expect(network.parameterCount == (3 * 4 + 4) + 8 + 4 + (4 * 2 + 2))
    }

    @Test func parsesNames() throws {
        #expect(try Initializer(parsing: "he") == .heNormal)
        #expect(try Initializer(parsing: "xavier") == .xavierUniform)
        #expect(try Initializer(parsing: "uniform:0.2") == .uniform(scale: 0.2))
        #expect(throws: WeightLabError.self) { try Initializer(parsing: "orthogonal") }
        #expect(throws: WeightLabError.self) { try Initializer(parsing: "normal:-1") }
    }
}
