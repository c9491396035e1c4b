import Foundation
import Testing
import WeightLabCore
@testable import WeightLabGradient

/// The first five iterations of GSL's line-search methods on a six-variable quadratic, against
/// Double-precision transcriptions of the algorithms as the GSL manual (and its source)
/// describes them. On a quadratic a line minimization by parabolic or cubic interpolation is
/// exact, so the references minimize along each line in closed form: s* = d·g / dᵀAd.
@Suite(.serialized) struct LineSearchStepTests {
    typealias Trajectory = [[Double]]

    static let matrix: [[Double]] = [
        [1, 0.5, 0, 0, 0, 0],
        [0.5, 2, 0.5, 0, 0, 0],
        [0, 0.5, 4, 0.5, 0, 0],
        [0, 0, 0.5, 7, 0.5, 0],
        [0, 0, 0, 0.5, 11, 0.5],
        [0, 0, 0, 0, 0.5, 16],
    ]
    static let quadratic = QuadraticFunction(matrix: matrix, minimizer: [1, -1, 0.5, 2, -0.5, 1.5])
    static let start: [Double] = [3, 1, -2, 0, 2, -1]

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
    static func product(_ v: [Double]) -> [Double] { matrix.map { dot($0, v) } }

    /// GSL steepest descent: trial x − s·g/|g|; if f rises, s ← s·tol and retry; after
    /// success s ← 2s, or s ← s·tol once more if any trial failed.
    static func steepestDescent(stepSize: Double, tolerance: Double, failures: inout Int) -> Trajectory {
        var x = start, s = stepSize
        var out: Trajectory = []
        for _ in 1...5 {
            let g = quadratic.gradient(x)
            let gNorm = norm(g)
            var failed = false
            var trial: [Double]
            while true {
                trial = zip(x, g).map { $0 - s * $1 / gNorm }
                if quadratic.value(trial) > quadratic.value(x) {
                    failed = true
                    failures += 1
                    s *= tolerance
                } else {
                    break
                }
            }
            s = failed ? s * tolerance : 2 * s
            x = trial
            out.append(x)
        }
        return out
    }

    /// GSL conjugate gradient: along d = ±p/|p| (downhill sign) try the last step length s; if
    /// f falls, keep that point and double s without changing p. Otherwise minimize along the
    /// line (s ← s*), then p ← g′ + βp (FR: β = |g′|²/|g₀|²; PR: β = g′·(g′ − g₀)/|g₀|²),
    /// with g₀ the gradient at the previous line minimum; p ← g′ every n line minimizations.
    static func conjugateGradient(polakRibiere: Bool, stepSize: Double, lineMinimizations: inout Int) -> Trajectory {
        var x = start
        var g = quadratic.gradient(x)
        var p = g, g0 = g
        var s = stepSize
        var minimizations = 0
        var out: Trajectory = []
        for _ in 1...5 {
            let direction = (dot(p, g) >= 0 ? 1.0 : -1.0) / norm(p)
            let d = p.map { $0 * direction }
            let trial = zip(x, d).map { $0 - s * $1 }
            if quadratic.value(trial) < quadratic.value(x) {
                x = trial
                g = quadratic.gradient(x)
                s *= 2
            } else {
                lineMinimizations += 1
                s = dot(d, g) / dot(d, product(d))
                x = zip(x, d).map { $0 - s * $1 }
                g = quadratic.gradient(x)
                minimizations = (minimizations + 1) % 6
                if minimizations == 0 {
                    p = g
                } else {
                    let beta = polakRibiere
                        ? dot(g, zip(g, g0).map { $0 - $1 }) / dot(g0, g0)
                        : dot(g, g) / dot(g0, g0)
                    p = zip(g, p).map { $0 + beta * $1 }
                }
                g0 = g
            }
            out.append(x)
        }
        return out
    }

    /// Linear conjugate gradient (Hestenes & Stiefel, 1952): r = −g, d = r, α = rᵀr/dᵀAd,
    /// x ← x + αd, β = |r′|²/|r|², d ← r′ + βd. BFGS with exact line searches from the
    /// identity produces these iterates on a quadratic (Nazareth, 1979).
    static func linearConjugateGradient() -> Trajectory {
        var x = start
        var r = quadratic.gradient(x).map { -$0 }
        var d = r
        var out: Trajectory = []
        for _ in 1...5 {
            let ad = product(d)
            let alpha = dot(r, r) / dot(d, ad)
            x = zip(x, d).map { $0 + alpha * $1 }
            let next = zip(r, ad).map { $0 - alpha * $1 }
            let beta = dot(next, next) / dot(r, r)
            d = zip(next, d).map { $0 + beta * $1 }
            r = next
            out.append(x)
        }
        return out
    }

    /// Expects every step within `tolerance` of the reference, relative to the reference's
    /// largest coordinate (iterates pass through zero, so per-coordinate errors mean nothing).
    static func expectMatch(_ actual: Trajectory, _ expected: Trajectory, tolerance: Double = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (step, (a, e)) in zip(actual, expected).enumerated() {
            let scale = e.map(abs).max() ?? 1
            let error = zip(a, e).map { abs($0 - $1) }.max() ?? 0
            #expect(error <= tolerance * scale, "step \(step + 1): \(a) vs \(e)", sourceLocation: sourceLocation)
        }
    }

    static func run(_ optimizer: LineSearchMinimizer) throws -> Trajectory {
        try FiveSteps.run(optimizer, on: quadratic, from: start)
    }

    /// A first step of 1 doubles twice, then overshoots and backtracks.
    @Test func steepestDescentMatchesGSLsRule() throws {
        var failures = 0
        let expected = Self.steepestDescent(stepSize: 1, tolerance: 0.5, failures: &failures)
        #expect(failures > 0)
        Self.expectMatch(try Self.run(LineSearchMinimizer(.steepestDescent, stepSize: 1, lineSearchTolerance: 0.5)), expected)
    }

    /// A first trial step of 2 takes both branches: two trial steps that lower f, then line
    /// minimizations. (On a quadratic, exact line minimizations make g′·g₀ = 0, so
    /// Fletcher–Reeves and Polak–Ribière coincide; the Rosenbrock tests tell them apart.)
    @Test(arguments: [LineSearchMethod.conjugateFletcherReeves, .conjugatePolakRibiere])
    func conjugateGradientMatchesGSLsRule(_ method: LineSearchMethod) throws {
        var lineMinimizations = 0
        let expected = Self.conjugateGradient(polakRibiere: method == .conjugatePolakRibiere, stepSize: 2, lineMinimizations: &lineMinimizations)
        #expect((1...4).contains(lineMinimizations))
        let optimizer = try LineSearchMinimizer(method, stepSize: 2, lineSearchTolerance: 0.1, restartEvery: 0)
        Self.expectMatch(try Self.run(optimizer), expected)
    }

    /// A first trial step of 2 overshoots, so every line search ends at an interpolated
    /// minimum, exact up to the Float32 evaluations.
    @Test func bfgs2MatchesConjugateGradientWithExactLineSearches() throws {
        let optimizer = try LineSearchMinimizer(.bfgs2, stepSize: 2, lineSearchTolerance: 1e-4)
        Self.expectMatch(try Self.run(optimizer), Self.linearConjugateGradient())
    }
}
