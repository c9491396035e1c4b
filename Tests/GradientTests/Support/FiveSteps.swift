import Foundation
import Testing
import WeightLabCore

/// The fixed problem of the five-step tests: f(w) = ½wᵀAw − bᵀw in three variables with
/// minimizer (2, −1.5, 3), started at (0.5, −0.5, 1), so that no coordinate passes near zero
/// in five steps and a relative comparison is meaningful.
enum FiveSteps {
    static let matrix: [[Double]] = [[2, 0.5, 0], [0.5, 1, 0.25], [0, 0.25, 3]]
    static let minimizer: [Double] = [2, -1.5, 3]
    static let start: [Double] = [0.5, -0.5, 1]
    static let quadratic = QuadraticFunction(matrix: matrix, minimizer: minimizer)

    /// ∇f(w) = Aw − b, recomputed here for the references.
    static func gradient(_ w: [Double]) -> [Double] { quadratic.gradient(w) }

    /// The weights after each of the first `steps` steps of `optimizer` from `start`.
    static func run<O: WeightOptimizer>(_ optimizer: O, steps: Int = 5, on quadratic: QuadraticFunction = quadratic, from start: [Double] = start) throws -> [[Double]] {
        let problem = try quadratic.problem()
        var rng = RunState(rng: RandomStream(seed: 1))
        var state = try optimizer.start(problem, from: start.map(Float.init), run: &rng)
        var trajectory: [[Double]] = []
        for _ in 0..<steps {
            _ = try optimizer.step(&state, problem, run: &rng)
            trajectory.append(optimizer.incumbent(state).map(Double.init))
        }
        return trajectory
    }

    /// Expects every coordinate of every step to match the reference to `tolerance`,
    /// relative to the reference coordinate.
    static func expectMatch(_ actual: [[Double]], _ expected: [[Double]], tolerance: Double = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (step, (a, e)) in zip(actual, expected).enumerated() {
            for i in e.indices {
                let error = abs(a[i] - e[i]) / abs(e[i])
                #expect(error <= tolerance, "step \(step + 1), w[\(i)] = \(a[i]), expected \(e[i])", sourceLocation: sourceLocation)
            }
        }
    }

    /// Expects two reference trajectories to differ somewhere by more than `margin`, so a test
    /// comparing against one of them can tell the variants apart.
    static func expectDistinct(_ a: [[Double]], _ b: [[Double]], margin: Double = 1e-3, sourceLocation: SourceLocation = #_sourceLocation) {
        let largest = zip(a.joined(), b.joined()).map { abs($0 - $1) / abs($1) }.max() ?? 0
        #expect(largest > margin, sourceLocation: sourceLocation)
    }
}
