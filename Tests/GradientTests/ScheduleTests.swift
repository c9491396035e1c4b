import Foundation
import Testing
import WeightLabCore
@testable import WeightLabGradient

/// Every schedule's learning rate at chosen steps, against the formula worked out by hand.
@Suite struct ScheduleTests {
    static func rate(_ schedule: LearningRateSchedule, at t: Int, base: Float = 0.1) -> Double {
        Double(schedule.rate(base: base, step: t))
    }

    static func expectRate(_ schedule: LearningRateSchedule, at t: Int, _ expected: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = rate(schedule, at: t)
        #expect(abs(actual - expected) <= 1e-6 * abs(expected) + 1e-12, "η(\(t)) = \(actual), expected \(expected)", sourceLocation: sourceLocation)
    }

    @Test func constant() {
        for t in [0, 7, 100_000] { Self.expectRate(.constant, at: t, 0.1) }
    }

    /// StepLR(step_size 30, γ 0.1): 0.1 until step 29, 0.01 from 30, 0.001 from 60.
    @Test func stepDecay() {
        let schedule = LearningRateSchedule.stepDecay(stepSize: 30, gamma: 0.1)
        Self.expectRate(schedule, at: 0, 0.1)
        Self.expectRate(schedule, at: 29, 0.1)
        Self.expectRate(schedule, at: 30, 0.01)
        Self.expectRate(schedule, at: 59, 0.01)
        Self.expectRate(schedule, at: 60, 0.001)
    }

    /// ExponentialLR(γ 0.5): 0.1 · 0.5ᵗ.
    @Test func exponential() {
        let schedule = LearningRateSchedule.exponential(gamma: 0.5)
        Self.expectRate(schedule, at: 0, 0.1)
        Self.expectRate(schedule, at: 1, 0.05)
        Self.expectRate(schedule, at: 4, 0.00625)
        Self.expectRate(.exponential(gamma: 0.95), at: 10, 0.1 * pow(0.95, 10))
    }

    /// η₀ / (1 + r·t/s) with r = 0.5, s = 10: t = 20 gives 0.1/2, t = 5 gives 0.1/1.25.
    @Test func inverseTime() {
        let schedule = LearningRateSchedule.inverseTime(decayRate: 0.5, decaySteps: 10)
        Self.expectRate(schedule, at: 0, 0.1)
        Self.expectRate(schedule, at: 5, 0.08)
        Self.expectRate(schedule, at: 20, 0.05)
    }

    /// η_min + ½(η₀ − η_min)(1 + cos(πt/T)), T = 100, η_min = 0.001; flat after T.
    @Test func cosine() {
        let schedule = LearningRateSchedule.cosine(period: 100, minimum: 0.001)
        Self.expectRate(schedule, at: 0, 0.1)
        Self.expectRate(schedule, at: 50, 0.0505)
        Self.expectRate(schedule, at: 25, 0.001 + 0.5 * 0.099 * (1 + cos(Double.pi / 4)))
        Self.expectRate(schedule, at: 100, 0.001)
        Self.expectRate(schedule, at: 150, 0.001)
    }

    /// SGDR with T₀ = 10, T_mult = 2: cycles [0, 10), [10, 30), [30, 70).
    @Test func cosineWithWarmRestarts() {
        let schedule = LearningRateSchedule.cosineRestarts(period: 10, periodMultiplier: 2, minimum: 0)
        Self.expectRate(schedule, at: 5, 0.05)
        Self.expectRate(schedule, at: 10, 0.1)
        Self.expectRate(schedule, at: 20, 0.05)
        Self.expectRate(schedule, at: 30, 0.1)
        Self.expectRate(schedule, at: 69, 0.05 * (1 + cos(Double.pi * 39 / 40)))
        let fixed = LearningRateSchedule.cosineRestarts(period: 10, periodMultiplier: 1, minimum: 0.02)
        Self.expectRate(fixed, at: 25, 0.06)
        Self.expectRate(fixed, at: 30, 0.1)
    }

    /// LinearLR(start 1/3, 5 steps), then a cosine over 10 steps counted from the warm-up's end.
    @Test func linearWarmupWrapsAnotherSchedule() {
        let schedule = LearningRateSchedule.warmup(steps: 5, startFactor: 1.0 / 3, then: .cosine(period: 10, minimum: 0))
        Self.expectRate(schedule, at: 0, 0.1 / 3)
        Self.expectRate(schedule, at: 3, 0.1 * (1.0 / 3 + 2.0 / 3 * 3 / 5))
        Self.expectRate(schedule, at: 5, 0.1)
        Self.expectRate(schedule, at: 10, 0.05)
        Self.expectRate(schedule, at: 15, 0)
    }

    /// PyTorch's rule with factor 0.5, patience 2, threshold 0.1, cooldown 1, by hand:
    /// 10 sets best; 9 is not below 10·0.9, so bad = 1, 2, 3 > 2 → halve at the 4th loss,
    /// cooldown 1 swallows the 5th, bad = 1, 2, 3 at the 6th–8th → halve again, floored at 0.03.
    @Test func reduceOnPlateau() {
        let rule = ReduceOnPlateau(factor: 0.5, patience: 2, threshold: 0.1, cooldown: 1, minimum: 0.03, period: 1)
        let schedule = LearningRateSchedule.reduceOnPlateau(rule)
        var plateau = PlateauState(periodLength: 1)
        var rates: [Float] = []
        for loss: Float in [10, 9, 9, 9, 9, 9, 9, 9, 9] {
            let rate = schedule.rate(base: 0.1, step: rates.count, plateau: plateau)
            rates.append(rate)
            schedule.observe(loss: loss, rate: rate, plateau: &plateau)
        }
        #expect(rates == [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.03])
    }

    /// Period means: losses (4, 2), (3, 3), (3, 3) average to 3, 3, 3; patience 0 halves the
    /// rate after the second period.
    @Test func plateauAveragesEachPeriod() {
        let schedule = LearningRateSchedule.reduceOnPlateau(ReduceOnPlateau(factor: 0.5, patience: 0, period: 2))
        var plateau = PlateauState(periodLength: 2)
        var rates: [Float] = []
        for loss: Float in [4, 2, 3, 3, 3, 3] {
            let rate = schedule.rate(base: 0.1, step: rates.count, plateau: plateau)
            rates.append(rate)
            schedule.observe(loss: loss, rate: rate, plateau: &plateau)
        }
        #expect(rates == [0.1, 0.1, 0.1, 0.1, 0.05, 0.05])
        #expect(plateau.best == 3 && plateau.rate == 0.025)
    }

    /// Without a period the plateau counts epochs: 8 samples in batches of 2 make 4 steps.
    @Test func plateauPeriodDefaultsToOneEpoch() throws {
        var data = RandomStream(seed: 1)
        let samples = TinyData.moons(count: 8, noise: 0.1, rng: &data)
        let network = try Network.perceptron(inputs: 2, hidden: [2], outputs: 2)
        let problem = try Problem(objective: NetworkObjective(network: network), training: samples, batchSize: 2) { _ in [] }
        let optimizer = try SGD(schedule: .reduceOnPlateau(ReduceOnPlateau()))
        var rng = RunState(rng: RandomStream(seed: 1))
        let state = try optimizer.start(problem, from: [Float](repeating: 0.1, count: network.parameterCount), run: &rng)
        #expect(state.plateau.periodLength == 4)
    }

    // MARK: - Specifications

    @Test func readsSpecifications() throws {
        let cosine = try LearningRateSchedule(SpecValue(parsing: #"{"kind": "cosine", "period": 100, "minimum": 0.001}"#), path: "schedule")
        #expect(cosine == .cosine(period: 100, minimum: 0.001))
        #expect(try LearningRateSchedule(.string("plateau"), path: "schedule") == .reduceOnPlateau(ReduceOnPlateau()))
        let warmup = try LearningRateSchedule(SpecValue(parsing: #"{"kind": "warmup", "steps": 3, "then": {"kind": "step", "stepSize": 10}}"#), path: "schedule")
        #expect(warmup == .warmup(steps: 3, startFactor: 1.0 / 3, then: .stepDecay(stepSize: 10, gamma: 0.1)))
        let sgdr = try LearningRateSchedule(SpecValue(parsing: #"{"kind": "cosine-restarts", "period": 10, "periodMultiplier": 2}"#), path: "schedule")
        #expect(sgdr == .cosineRestarts(period: 10, periodMultiplier: 2, minimum: 0))
    }

    @Test(arguments: [
        (#"{"kind": "cosine"}"#, "optimizer.schedule.period is required"),
        (#"{"kind": "step", "stepSize": 10, "gamma": -1}"#, "optimizer.schedule.gamma = -1 is invalid for the step schedule: expected a finite number > 0"),
        (#"{"kind": "warmup", "startFactor": 2}"#, "optimizer.schedule.startFactor = 2 is invalid for the warmup schedule: expected a number in [0, 1]"),
        (#"{"kind": "plateau", "factor": 1}"#, "expected a number in (0, 1)"),
        (#"{"kind": "linear"}"#, "optimizer.schedule.kind = linear is unknown; known: constant, step"),
        (#"{"kind": "exponential", "gamma": 0.9, "rate": 2}"#, "unknown parameter rate"),
        (#"{"kind": "warmup", "then": {"kind": "cosine", "period": 0}}"#, "optimizer.schedule.then.period = 0 is invalid"),
    ])
    func rejectsBadSpecificationsNamingTheField(_ text: String, _ message: String) {
        do {
            _ = try LearningRateSchedule(SpecValue(parsing: text), path: "optimizer.schedule")
            Issue.record("\(text) was accepted")
        } catch let error as WeightLabError {
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
