import WeightLabCore

// Reading the genetic operators from a specification, for the GA and for any other method
// built out of them (a hybrid's evolutionary step, for instance). The keys are the GA's.

/// The genetic operators' parameters, declared once for the GA and for every method built
/// out of its operators (ESGD), which may change their defaults.
public enum OperatorParameters {
    public static let selection = Parameter("selection", default: "tournament", .oneOf(["tournament", "roulette", "rank", "truncation"]), "`tournament`, `roulette` (on shifted fitness f_worst − f), `rank` (Baker's linear ranking), `truncation`")
    public static let tournamentSize = Parameter("tournamentSize", default: 3, .within(1...1_000_000), "k for tournament (PyGAD's and DEAP's examples' value)")
    public static let selectionPressure = Parameter("selectionPressure", default: Float(1.5), .within(1...2), "s ∈ [1, 2] for rank selection")
    public static let truncationFraction = Parameter("truncationFraction", default: Float(0.5), .within(1e-6...1), "share of the best that truncation chooses from")
    public static let crossover = Parameter("crossover", default: "one-point", .oneOf(Crossover.names), "`uniform`, `one-point`, `two-point`, `blx` (BLX-α), `sbx` (simulated binary)")
    public static let blendAlpha = Parameter("blendAlpha", default: Float(0.5), .within(0...10), "α of BLX-α")
    public static let sbxEta = Parameter("sbxEta", default: Float(15), .within(0...1000), "distribution index η of SBX (pymoo's default)")
    public static let mutationRate = Parameter("mutationRate", default: Float(0.1), .unit, "per-gene mutation probability (PyGAD's 10% of genes)")
    public static let sigma = Parameter("sigma", default: Float(0.1), .within(0...1e6), "standard deviation of the Gaussian mutation")
    public static let selfAdaptive = Parameter("selfAdaptive", default: false, .either, "each individual carries σ, mutated as σ·exp(N(0,1)/√n) before its genes")

    /// The operator rows with a method's defaults.
    public static func infos(selection: String = "tournament", tournamentSize: Int = 3, crossover: String = "one-point", rate: Float = 0.1, sigma: Float = 0.1) -> [ParameterInfo] {
        [OperatorParameters.selection.withDefault(selection).info, OperatorParameters.tournamentSize.withDefault(tournamentSize).info,
         selectionPressure.info, truncationFraction.info, OperatorParameters.crossover.withDefault(crossover).info, blendAlpha.info, sbxEta.info,
         mutationRate.withDefault(rate).info, OperatorParameters.sigma.withDefault(sigma).info, selfAdaptive.info]
    }
}

extension Selection {
    /// Reads `selection` (`tournament`, `roulette`, `rank` or `truncation`) with its parameter.
    public init(parameters p: ParameterReader, default name: String = "tournament", tournamentSize: Int = 3) throws {
        switch try p.value(OperatorParameters.selection.withDefault(name)) {
        case "roulette": self = .roulette
        case "rank": self = .rank(pressure: try p.value(OperatorParameters.selectionPressure))
        case "truncation": self = .truncation(fraction: try p.value(OperatorParameters.truncationFraction))
        default: self = .tournament(size: try p.value(OperatorParameters.tournamentSize.withDefault(tournamentSize)))
        }
    }
}

extension Crossover {
    /// Reads `crossover` (one of `Crossover.names`) with its parameter.
    public init(parameters p: ParameterReader, default name: String = "one-point") throws {
        switch try p.value(OperatorParameters.crossover.withDefault(name)) {
        case "uniform": self = .uniform
        case "two-point": self = .twoPoint
        case "blx": self = .blend(alpha: try p.value(OperatorParameters.blendAlpha))
        case "sbx": self = .simulatedBinary(eta: try p.value(OperatorParameters.sbxEta))
        default: self = .onePoint
        }
    }
}

extension GaussianMutation {
    /// Reads `mutationRate`, `sigma` and `selfAdaptive`, with a method's defaults.
    public init(parameters p: ParameterReader, rate: Float, sigma: Float) throws {
        try self.init(
            rate: try p.value(OperatorParameters.mutationRate.withDefault(rate)),
            sigma: try p.value(OperatorParameters.sigma.withDefault(sigma)),
            selfAdaptive: try p.value(OperatorParameters.selfAdaptive))
    }
}
