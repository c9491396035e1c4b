import Testing
@testable import WeightLabCore

@Suite struct SearchBoxTests {
    @Test func reflectionFoldsAtTheCrossedBounds() throws {
        let box = try SearchBox(low: -1, high: 1, dimension: 5)
        var x: [Float] = [1.5, -3.5, 0.25, 5, .nan]
        x.withUnsafeMutableBufferPointer { box.reflect($0.baseAddress!, count: 5) }
        // 1.5 mirrors at 1 to 0.5; −3.5 mirrors at −1 to 1.5, then at 1 to 0.5; 5 mirrors at 1 to −3, then at −1 to 1.
        #expect(x == [0.5, 0.5, 0.25, 1, 0])
    }

    @Test func clippingAndResamplingStayInside() throws {
        let box = try SearchBox(lower: [0, -2], upper: [1, 2])
        #expect(box.clipped([-4, 9]) == [0, 2])
        var rng = RandomStream(seed: 3)
        for _ in 0..<100 {
            var x: [Float] = [5, 1.5]
            x.withUnsafeMutableBufferPointer { box.resample($0.baseAddress!, count: 2, rng: &rng) }
            #expect(box.contains(x) && x[1] == 1.5)
            #expect(box.contains(box.uniformPoint(rng: &rng)))
        }
    }

    @Test func invalidBoundsThrowNamingTheCoordinate() {
        #expect(throws: WeightLabError.self) { try SearchBox(lower: [0, 1], upper: [1, 1]) }
        #expect(throws: WeightLabError.self) { try SearchBox(lower: [0], upper: [1, 2]) }
        #expect(throws: WeightLabError.self) { try SearchBox(low: 0, high: .infinity, dimension: 2) }
    }

    @Test func standardDomains() throws {
        let expected: [AnalyticFunction.Kind: (Float, Float)] = [
            .sphere: (-5.12, 5.12), .rastrigin: (-5.12, 5.12), .ackley: (-32.768, 32.768), .griewank: (-600, 600),
            .rosenbrock: (-5, 10), .styblinskiTang: (-5, 5),
        ]
        for kind in AnalyticFunction.Kind.allCases {
            let f = try AnalyticFunction(kind, dimension: 4)
            #expect(f.standardDomain == (try #require(expected[kind])))
            #expect(f.standardBox.contains(f.minimizer), "\(kind): the minimizer lies in the standard domain")
        }
    }

    @Test func aBoxedProblemDrawsUniformStartsInsideIt() throws {
        let f = try AnalyticFunction(.ackley, dimension: 3)
        let problem = try Problem(function: f, box: f.standardBox)
        var rng = RandomStream(seed: 9)
        let draws = (0..<400).map { _ in problem.sampleWeights(&rng) }
        #expect(draws.allSatisfy(f.standardBox.contains))
        let mean = draws.reduce(0.0) { $0 + Double($1[0]) } / 400
        let spread = draws.map { abs($0[0]) }.max() ?? 0
        #expect(abs(mean) < 3 && spread > 30, "uniform over [−32.768, 32.768], not a spread around the customary start")
    }

    @Test func boxedObjectiveIsTheFunctionInsideAndPenalizedOutside() throws {
        let f = try AnalyticFunction(.sphere, dimension: 2)
        let box = try SearchBox(low: -1, high: 1, dimension: 2)
        let g = try BoxedObjective(f, box: box)
        #expect(try g.loss(at: [0.5, -0.5], on: .empty) == 0.5)
        // x = (3, 0): P(x) = (1, 0), f = 1, E = (2/2)² = 1, g = 1 + (1 + 1)·1 = 3.
        #expect(try g.loss(at: [3, 0], on: .empty) == 3)
        var population = PopulationMatrix(count: 2, dimension: 2)
        population.values = [0.5, -0.5, 3, 0]
        var losses: [Float] = []
        try g.losses(of: population, on: .empty, into: &losses)
        #expect(losses == [0.5, 3])
    }

    @Test func boxedGradientMatchesFiniteDifferences() throws {
        let f = try AnalyticFunction(.styblinskiTang, dimension: 3)
        let g = try BoxedObjective(f, box: try SearchBox(low: -2, high: 2, dimension: 3))
        var rng = RandomStream(seed: 1)
        for x in [[Float]([2.7, -0.4, 1.1]), [-3.1, 2.9, 0.3], [0.6, -1.2, 1.9]] {
            let (_, gradient) = try g.lossAndGradient(at: x, on: .empty, rng: &rng)
            for i in 0..<3 {
                let h: Double = 1e-2
                var up = x, down = x
                up[i] += Float(h)
                down[i] -= Float(h)
                let numeric = (Double(try g.loss(at: up, on: .empty)) - Double(try g.loss(at: down, on: .empty))) / (2 * h)
                #expect(abs(numeric - Double(gradient[i])) <= 2e-2 * max(1, abs(numeric)), "x = \(x), coordinate \(i)")
            }
        }
    }

    @Test func networksRefuseABox() throws {
        let network = try Network.perceptron(inputs: 2, hidden: [3], outputs: 2, activation: .tanh)
        let objective = NetworkObjective(network: network)
        #expect(throws: WeightLabError.self) {
            try Problem(objective: objective, box: try SearchBox(low: -1, high: 1, dimension: objective.dimension)) { _ in [] }
        }
    }
}
