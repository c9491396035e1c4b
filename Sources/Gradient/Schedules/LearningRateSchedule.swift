import Foundation
import WeightLabCore

/// How the learning rate changes over a run, as a function of the step count `t` (0 for the
/// first step) and the base rate η₀ the optimizer was configured with. Every first-order
/// optimizer in this module takes one; they compose (a warm-up wraps any other schedule).
///
/// The formulas follow PyTorch's `torch.optim.lr_scheduler` classes, each stepped once per
/// optimizer step (call the step count "epochs" to read PyTorch's documentation literally):
///
/// | case | η(t) | peer |
/// | --- | --- | --- |
/// | `constant` | η₀ | |
/// | `stepDecay(stepSize: s, gamma: γ)` | η₀ · γ^⌊t/s⌋ | `StepLR` |
/// | `exponential(gamma: γ)` | η₀ · γ^t | `ExponentialLR` |
/// | `inverseTime(decayRate: r, decaySteps: s)` | η₀ / (1 + r·t/s) | Keras `InverseTimeDecay` |
/// | `cosine(period: T, minimum: η_min)` | η_min + ½(η₀ − η_min)(1 + cos(π·min(t, T)/T)) | `CosineAnnealingLR` within T; Optax's `cosine_decay_schedule` after |
/// | `cosineRestarts(period: T₀, periodMultiplier: m, minimum: η_min)` | η_min + ½(η₀ − η_min)(1 + cos(π·T_cur/T_i)) | `CosineAnnealingWarmRestarts` (SGDR, Loshchilov & Hutter, 2017) |
/// | `warmup(steps: W, startFactor: s, then: inner)` | inner(0) · (s + (1 − s)·t/W) for t < W, then inner(t − W) | `LinearLR` + `SequentialLR` |
/// | `reduceOnPlateau(rule)` | η₀, multiplied by `factor` when the loss stops improving | `ReduceLROnPlateau` |
///
/// In SGDR the i-th cycle lasts T_i = T₀·mᶦ steps and T_cur counts the steps since its start.
/// Unlike PyTorch's `CosineAnnealingLR`, whose recursive form climbs back up after T_max,
/// `cosine` stays at η_min after `period` steps; use `cosineRestarts` for cycles.
public indirect enum LearningRateSchedule: Sendable, Equatable, Codable {
    case constant
    case stepDecay(stepSize: Int, gamma: Float)
    case exponential(gamma: Float)
    case inverseTime(decayRate: Float, decaySteps: Int)
    case cosine(period: Int, minimum: Float)
    case cosineRestarts(period: Int, periodMultiplier: Int, minimum: Float)
    case warmup(steps: Int, startFactor: Float, then: LearningRateSchedule)
    case reduceOnPlateau(ReduceOnPlateau)

    /// The learning rate of step `t` (0-based) for base rate `base`; `plateau` is the state
    /// of a `reduceOnPlateau` schedule (ignored by the others).
    public func rate(base: Float, step t: Int, plateau: PlateauState = PlateauState()) -> Float {
        switch self {
        case .constant:
            return base
        case .stepDecay(let stepSize, let gamma):
            return base * pow(gamma, Float(t / stepSize))
        case .exponential(let gamma):
            return Float(Double(base) * pow(Double(gamma), Double(t)))
        case .inverseTime(let decayRate, let decaySteps):
            return base / (1 + decayRate * Float(t) / Float(decaySteps))
        case .cosine(let period, let minimum):
            return Self.cosine(base: base, minimum: minimum, position: min(t, period), length: period)
        case .cosineRestarts(let period, let multiplier, let minimum):
            var length = period
            var position = t
            if multiplier == 1 {
                position = t % period
            } else {
                while position >= length {
                    position -= length
                    length *= multiplier
                }
            }
            return Self.cosine(base: base, minimum: minimum, position: position, length: length)
        case .warmup(let steps, let startFactor, let inner):
            guard t < steps else { return inner.rate(base: base, step: t - steps, plateau: plateau) }
            let factor = startFactor + (1 - startFactor) * Float(t) / Float(steps)
            return inner.rate(base: base, step: 0, plateau: plateau) * factor
        case .reduceOnPlateau:
            return plateau.rate ?? base
        }
    }

    /// η_min + ½(η₀ − η_min)(1 + cos(π·position/length)).
    private static func cosine(base: Float, minimum: Float, position: Int, length: Int) -> Float {
        let phase = Double.pi * Double(position) / Double(length)
        return minimum + Float(0.5 * Double(base - minimum) * (1 + cos(phase)))
    }

    /// The reduce-on-plateau rule inside this schedule, if any.
    public var plateauRule: ReduceOnPlateau? {
        switch self {
        case .reduceOnPlateau(let rule): rule
        case .warmup(_, _, let inner): inner.plateauRule
        default: nil
        }
    }

    /// Feeds the loss of a finished step to a reduce-on-plateau rule, if the schedule has one.
    /// `rate` is the learning rate that step used.
    public func observe(loss: Float, rate: Float, plateau: inout PlateauState) {
        plateauRule?.observe(loss: loss, rate: rate, state: &plateau)
    }

    /// Throws unless every parameter is in its allowed range.
    public func validate() throws {
        switch self {
        case .constant:
            break
        case .stepDecay(let stepSize, let gamma):
            try validateCount("schedule stepSize", stepSize, atLeast: 1)
            try Allowed<Float>.positive.check("schedule gamma", gamma)
        case .exponential(let gamma):
            try Allowed<Float>.positive.check("schedule gamma", gamma)
        case .inverseTime(let decayRate, let decaySteps):
            try Allowed<Float>.nonNegative.check("schedule decayRate", decayRate)
            try validateCount("schedule decaySteps", decaySteps, atLeast: 1)
        case .cosine(let period, let minimum):
            try validateCount("schedule period", period, atLeast: 1)
            try Allowed<Float>.nonNegative.check("schedule minimum", minimum)
        case .cosineRestarts(let period, let multiplier, let minimum):
            try validateCount("schedule period", period, atLeast: 1)
            try validateCount("schedule periodMultiplier", multiplier, atLeast: 1)
            try Allowed<Float>.nonNegative.check("schedule minimum", minimum)
        case .warmup(let steps, let startFactor, let inner):
            try validateCount("schedule steps", steps, atLeast: 1)
            try Allowed<Float>.unit.check("schedule startFactor", startFactor)
            try inner.validate()
        case .reduceOnPlateau(let rule):
            try rule.validate()
        }
    }
}
