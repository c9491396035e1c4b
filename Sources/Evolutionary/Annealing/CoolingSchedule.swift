import Foundation
import WeightLabCore

/// The temperature of simulated annealing after k moves since the schedule (re)started,
/// from the starting temperature T₀.
public enum CoolingSchedule: Sendable, Equatable, Codable {
    /// T = T₀·αᵏ (Kirkpatrick, Gelatt & Vecchi, 1983), α ∈ (0, 1).
    case exponential(rate: Float)
    /// T = T₀·max(0, 1 − k/K): zero after K moves, a pure descent from then on.
    case linear(moves: Int)
    /// T = T₀·ln 2 / ln(k + 2): Boltzmann annealing's logarithmic schedule (Geman & Geman,
    /// 1984), the slow one with a convergence guarantee.
    case logarithmic
    /// T = T₀/(1 + k): fast (Cauchy) annealing (Szu & Hartley, 1987).
    case fast

    /// The names the registry accepts.
    public static let names = ["exponential", "linear", "logarithmic", "fast"]

    /// Throws unless the schedule's parameter is in range.
    public func validate() throws {
        switch self {
        case .exponential(let rate):
            guard rate.isFinite, rate > 0, rate < 1 else {
                throw WeightLabError.parameter("coolingRate", rate, allowed: "a value in (0, 1)")
            }
        case .linear(let moves): try validateCount("coolingMoves", moves, atLeast: 1)
        case .logarithmic, .fast: break
        }
    }

    /// The temperature after `k` moves from `initial`.
    public func temperature(after k: Int, from initial: Double) -> Double {
        let k = Double(k)
        switch self {
        case .exponential(let rate): return initial * pow(Double(rate), k)
        case .linear(let moves): return initial * max(0, 1 - k / Double(moves))
        case .logarithmic: return initial * log(2) / log(k + 2)
        case .fast: return initial / (1 + k)
        }
    }
}
