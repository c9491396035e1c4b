import Foundation
import Testing
@testable import WeightLabCore

@Suite struct AnalyticFunctionTests {
    @Test(arguments: AnalyticFunction.Kind.allCases)
    func minimumAtTheKnownOptimum(_ kind: AnalyticFunction.Kind) throws {
        let f = try AnalyticFunction(kind, dimension: 6)
        let atOptimum = try f.loss(at: f.minimizer, on: .empty)
        #expect(abs(atOptimum - f.minimum) < 1e-3 * max(1, abs(f.minimum)))
        var rng = RandomStream(seed: 3)
        for _ in 0..<50 {
            let nearby = f.minimizer.map { $0 + rng.uniform(-0.5, 0.5) }
            #expect(try f.loss(at: nearby, on: .empty) >= atOptimum)
        }
        let (_, g) = try f.lossAndGradient(at: f.minimizer, on: .empty, rng: &rng)
        #expect(g.allSatisfy { abs($0) < 1e-3 }, "gradient at the optimum: \(g)")
    }

    @Test(arguments: AnalyticFunction.Kind.allCases)
    func gradientMatchesFiniteDifferences(_ kind: AnalyticFunction.Kind) throws {
        let f = try AnalyticFunction(kind, dimension: 5)
        let point: [Float] = [0.3, -0.7, 1.1, 0.45, -1.3]
        #expect(try GradientCheck(objective: f, batch: .empty).relativeError(at: point) < 2e-3)
    }

    @Test func valuesAtKnownPoints() throws {
        let rosenbrock = try AnalyticFunction(.rosenbrock, dimension: 2)
        #expect(abs(try rosenbrock.loss(at: [-1.2, 1], on: .empty) - 24.2) < 1e-4)
        let rastrigin = try AnalyticFunction(.rastrigin, dimension: 2)
        #expect(abs(try rastrigin.loss(at: [1, 1], on: .empty) - 2) < 1e-5)
        let sphere = try AnalyticFunction(.sphere, dimension: 3)
        #expect(try sphere.loss(at: [1, 2, 3], on: .empty) == 14)
        let ackley = try AnalyticFunction(.ackley, dimension: 2)
        let expected = -20 * exp(-0.2) - exp(1.0) + 20 + M_E  // at (1, 1): cos(2π) = 1
        #expect(abs(Double(try ackley.loss(at: [1, 1], on: .empty)) - expected) < 1e-5)
    }

    @Test func chargesOneUnitPerValueAndThreePerGradient() throws {
        let f = try AnalyticFunction(.sphere, dimension: 2)
        var rng = RandomStream(seed: 1)
        _ = try f.loss(at: [1, 1], on: .empty)
        _ = try f.lossAndGradient(at: [1, 1], on: .empty, rng: &rng)
        var losses = [Float]()
        try f.losses(of: PopulationMatrix(rows: [[1, 1], [2, 2], [3, 3]]), on: .empty, into: &losses)
        #expect(losses == [2, 8, 18])
        #expect(f.ledger.units == 1 + 3 + 3)
    }

    @Test func rejectsWrongDimension() throws {
        let f = try AnalyticFunction(.sphere, dimension: 3)
        #expect(throws: WeightLabError.self) { try f.loss(at: [1, 2], on: .empty) }
        #expect(throws: WeightLabError.self) { try AnalyticFunction(.rosenbrock, dimension: 1) }
    }
}
