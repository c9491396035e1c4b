import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabGradient

/// What the GSL line-search methods do over a run: converge, finish cleanly, survive a
/// checkpoint, restart, and report failures instead of crashing.
@Suite(.serialized) struct LineSearchBehaviorTests {
    /// Runs `optimizer` from `start` until it finishes or `budget` iterations pass.
    static func minimize(_ optimizer: LineSearchMinimizer, _ problem: Problem, from start: [Float], budget: Int) throws -> (state: LineSearchMinimizer.State, report: StepReport) {
        var rng = RunState(rng: RandomStream(seed: 1))
        var state = try optimizer.start(problem, from: start, run: &rng)
        var report = StepReport(loss: .nan)
        for _ in 0..<budget {
            report = try optimizer.step(&state, problem, run: &rng)
            if report.finished != nil { break }
        }
        return (state, report)
    }

    /// Conjugate gradient and BFGS2 with their defaults reach Rosenbrock's minimizer (1, …, 1)
    /// from the customary start (−1.2, 1, …) to 1e-4 in every coordinate within 600
    /// iterations (measured: 20–460), then stop on GSL_ENOPROG at the Float32 limit.
    @Test(arguments: [LineSearchMethod.conjugateFletcherReeves, .conjugatePolakRibiere, .bfgs2], [2, 10])
    func reachesRosenbrocksMinimum(_ method: LineSearchMethod, dimension: Int) throws {
        let function = try AnalyticFunction(.rosenbrock, dimension: dimension)
        let (state, report) = try Self.minimize(LineSearchMinimizer(method), Problem(function: function), from: function.customaryStart, budget: 600)
        let error = state.point.map { abs($0 - 1) }.max() ?? .infinity
        #expect(error <= 1e-4, "\(method.rawValue) in \(dimension)-D: \(error) after \(state.iteration) iterations")
        #expect(report.loss.isFinite && report.loss < 1e-8)
    }

    @Test func fletcherReevesAndPolakRibiereDifferOffQuadratics() throws {
        let function = try AnalyticFunction(.rosenbrock, dimension: 2)
        let problem = try Problem(function: function)
        let fr = try Self.minimize(LineSearchMinimizer(.conjugateFletcherReeves), problem, from: function.customaryStart, budget: 20)
        let pr = try Self.minimize(LineSearchMinimizer(.conjugatePolakRibiere), problem, from: function.customaryStart, budget: 20)
        #expect(zip(fr.state.point, pr.state.point).contains { abs($0 - $1) > 1e-3 })
    }

    /// At a minimum GSL reports no progress; a restart cannot help, so the run ends with GSL's
    /// reason and the last finite loss, and further steps keep reporting it.
    @Test func noProgressEndsTheRunWithGSLsReason() throws {
        let quadratic = FiveSteps.quadratic
        let problem = try quadratic.problem()
        let optimizer = try LineSearchMinimizer(.conjugateFletcherReeves)
        var (state, report) = try Self.minimize(optimizer, problem, from: [0, 0, 0], budget: 500)
        let reason = try #require(report.finished)
        #expect(reason.contains("not making progress") && reason.contains("GSL status 27"))
        #expect(report.loss.isFinite)
        for (x, target) in zip(state.point, FiveSteps.minimizer) { #expect(isApproximatelyEqual(x, target, absolute: 1e-4)) }
        var rng = RunState(rng: RandomStream(seed: 2))
        let again = try optimizer.step(&state, problem, run: &rng)
        #expect(again.finished == reason && again.loss == report.loss)
    }

    /// A state decoded from JSON rebuilds its GSL minimizer at the saved double-precision
    /// point (restarting the search direction) and goes on to the minimum.
    @Test func decodedStateResumesFromItsPoint() throws {
        let function = try AnalyticFunction(.rosenbrock, dimension: 2)
        let problem = try Problem(function: function)
        let optimizer = try LineSearchMinimizer(.bfgs2)
        let (state, _) = try Self.minimize(optimizer, problem, from: function.customaryStart, budget: 8)
        var rng = RunState(rng: RandomStream(seed: 1))
        var resumed = try JSONDecoder().decode(LineSearchMinimizer.State.self, from: JSONEncoder().encode(state))
        #expect(resumed.point == state.point && resumed.iteration == 8 && resumed.session == nil)
        let before = function.ledger.units
        _ = try optimizer.step(&resumed, problem, run: &rng)
        #expect(resumed.restarts == state.restarts && resumed.sinceRestart == 1)
        #expect(function.ledger.units > before + 3)  // the rebuild evaluated f and ∇f once more
        for _ in 0..<200 where resumed.finished == nil { _ = try optimizer.step(&resumed, problem, run: &rng) }
        #expect(resumed.point.allSatisfy { abs($0 - 1) < 1e-4 })
    }

    /// Two copies of one state share a GSL minimizer, which belongs to neither: the first to
    /// step builds its own at its own point; the other, then sole owner, goes on with the old
    /// one from where the copy was made, not from where the first run has moved.
    @Test func copiedStatesKeepTheirOwnTrajectories() throws {
        let function = try AnalyticFunction(.rosenbrock, dimension: 2)
        let problem = try Problem(function: function)
        let optimizer = try LineSearchMinimizer(.conjugatePolakRibiere)
        var first = try Self.minimize(optimizer, problem, from: function.customaryStart, budget: 5).state
        var rng = RunState(rng: RandomStream(seed: 1))
        let shared = ObjectIdentifier(try #require(first.session))
        var second = first
        for _ in 0..<10 { _ = try optimizer.step(&first, problem, run: &rng) }
        #expect(ObjectIdentifier(try #require(first.session)) != shared)
        let origin = second.point
        _ = try optimizer.step(&second, problem, run: &rng)
        #expect(ObjectIdentifier(try #require(second.session)) == shared)
        #expect(second.iteration == 6)
        let moved = zip(second.point, origin).map { abs($0 - $1) }.max() ?? 0
        let apart = zip(second.point, first.point).map { abs($0 - $1) }.max() ?? 0
        #expect(moved < apart, "the copy moved from its own point, not from the other run's")
    }

    /// `restartEvery` resets the direction every k iterations, each restart pricing f and ∇f
    /// once more.
    @Test func restartsPeriodically() throws {
        let quadratic = QuadraticFunction(matrix: LineSearchStepTests.matrix, minimizer: [1, -1, 0.5, 2, -0.5, 1.5])
        let problem = try quadratic.problem()
        let optimizer = try LineSearchMinimizer(.conjugateFletcherReeves, restartEvery: 3)
        var rng = RunState(rng: RandomStream(seed: 1))
        var state = try optimizer.start(problem, from: LineSearchStepTests.start.map(Float.init), run: &rng)
        for _ in 0..<7 { _ = try optimizer.step(&state, problem, run: &rng) }
        #expect(state.restarts == 2 && state.sinceRestart == 1)
    }

    /// An objective that throws inside GSL's callback surfaces as that Swift error.
    @Test func objectiveErrorsCrossTheCallbacksAsSwiftErrors() throws {
        let failing = FailingObjective(dimension: 3)
        let problem = try Problem(objective: failing) { _ in [0, 0, 0] }
        let optimizer = try LineSearchMinimizer(.bfgs2)
        #expect(throws: WeightLabError.self) {
            var rng = RunState(rng: RandomStream(seed: 1))
            _ = try optimizer.start(problem, from: [1, 1, 1], run: &rng)
        }
    }

    /// A function that is not finite ends the run with a non-finite loss (the run loop's
    /// "diverged"), not a crash.
    @Test func nonFiniteValuesEndTheRun() throws {
        let problem = try Problem(objective: NotANumber(dimension: 2)) { _ in [0, 0] }
        let optimizer = try LineSearchMinimizer(.conjugatePolakRibiere)
        let (_, report) = try Self.minimize(optimizer, problem, from: [1, 1], budget: 5)
        #expect(!report.loss.isFinite)
        #expect(report.finished != nil)
    }
}

/// Throws on every evaluation.
final class FailingObjective: Objective, @unchecked Sendable {
    let dimension: Int
    let ledger = CostLedger()
    var providesGradient: Bool { true }
    init(dimension: Int) { self.dimension = dimension }
    func loss(at weights: [Float], on batch: Samples) throws -> Float {
        throw WeightLabError(.data, "planted failure")
    }
    func lossAndGradient(at weights: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float {
        throw WeightLabError(.data, "planted failure")
    }
}

/// NaN everywhere, with a NaN gradient.
final class NotANumber: Objective, @unchecked Sendable {
    let dimension: Int
    let ledger = CostLedger()
    var providesGradient: Bool { true }
    init(dimension: Int) { self.dimension = dimension }
    func loss(at weights: [Float], on batch: Samples) throws -> Float { .nan }
    func lossAndGradient(at weights: [Float], on batch: Samples, into gradient: inout [Float], rng: inout RandomStream) throws -> Float {
        gradient = [Float](repeating: .nan, count: dimension)
        return .nan
    }
}
