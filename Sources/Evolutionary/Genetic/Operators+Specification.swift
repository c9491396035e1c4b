import WeightLabCore

// Reading the genetic operators from a specification, for the GA and for any other method
// built out of them (a hybrid's evolutionary step, for instance). The keys are the GA's.

extension Selection {
    /// Reads `selection` (`tournament`, `roulette`, `rank` or `truncation`) with its parameter:
    /// `tournamentSize`, `selectionPressure` (default 1.5) or `truncationFraction` (default 0.5).
    public init(parameters p: ParameterReader, default name: String = "tournament", tournamentSize: Int = 3) throws {
        switch try p.choice("selection", default: name, from: ["tournament", "roulette", "rank", "truncation"]) {
        case "roulette": self = .roulette
        case "rank": self = .rank(pressure: try p.float("selectionPressure", default: 1.5, in: 1...2))
        case "truncation": self = .truncation(fraction: try p.float("truncationFraction", default: 0.5, in: 1e-6...1))
        default: self = .tournament(size: try p.int("tournamentSize", default: tournamentSize, in: 1...1_000_000))
        }
    }
}

extension Crossover {
    /// Reads `crossover` (one of `Crossover.names`) with its parameter: `blendAlpha` (blx,
    /// default 0.5) or `sbxEta` (sbx, default 15).
    public init(parameters p: ParameterReader, default name: String = "one-point") throws {
        switch try p.choice("crossover", default: name, from: Crossover.names) {
        case "uniform": self = .uniform
        case "two-point": self = .twoPoint
        case "blx": self = .blend(alpha: try p.float("blendAlpha", default: 0.5, in: 0...10))
        case "sbx": self = .simulatedBinary(eta: try p.float("sbxEta", default: 15, in: 0...1000))
        default: self = .onePoint
        }
    }
}

extension GaussianMutation {
    /// Reads `mutationRate`, `sigma` and `selfAdaptive` (default false).
    public init(parameters p: ParameterReader, rate: Float, sigma: Float) throws {
        try self.init(
            rate: try p.float("mutationRate", default: rate, in: 0...1),
            sigma: try p.float("sigma", default: sigma, in: 0...1e6),
            selfAdaptive: try p.bool("selfAdaptive", default: false))
    }
}
