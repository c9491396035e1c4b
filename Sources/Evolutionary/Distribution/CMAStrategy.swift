import WeightLabCore

/// CMA-ES and sep-CMA-ES: given `CMASettings`, with λ given or the default 4 + ⌊3 ln n⌋
/// (`CMAParameters.defaultLambda`).
public protocol CMAStrategy: CenterPricedStrategy {
    /// λ, σ₀ and whether the mean is priced.
    var settings: CMASettings { get }
    /// The variant's declaration of σ₀ (its default without a box differs).
    static var sigmaParameter: Parameter<Float?> { get }
    /// The variant with validated `settings`.
    init(settings: CMASettings)
}

extension CMAStrategy {
    /// Throws naming the parameter out of range.
    public init(populationSize: Int? = nil, sigma: Float? = nil, evaluateCenter: Bool = CMAES.Parameters.evaluateCenter.defaultValue) throws {
        self.init(settings: try CMASettings(populationSize: populationSize, sigma: sigma, sigmaParameter: Self.sigmaParameter, evaluateCenter: evaluateCenter))
    }

    /// Reads `populationSize`, `sigma` and `evaluateCenter` (the variant's `Parameters.infos`).
    public init(parameters p: ParameterReader) throws {
        self.init(settings: try CMASettings(parameters: p, sigma: Self.sigmaParameter))
    }

    /// Samples λ (≥ 2); nil for 4 + ⌊3 ln n⌋.
    public var populationSize: Int? { settings.populationSize }

    /// Also price the mean each generation. Default true.
    public var evaluateCenter: Bool { settings.evaluateCenter }

    /// λ for `dimension` weights.
    public func samples(dimension: Int) -> Int { populationSize ?? CMAParameters.defaultLambda(dimension: dimension) }
}

/// What both CMA variants are given, validated once: λ, σ₀ and whether the mean is priced. The
/// variants differ only in σ₀'s declaration (its default without a box).
public struct CMASettings: Sendable, Equatable {
    /// Samples λ (≥ 2); nil for 4 + ⌊3 ln n⌋.
    public let populationSize: Int?
    /// Starting step size σ₀; nil for 0.3·(high − low) of the problem's box, else the variant's default.
    public let sigma: Float?
    /// Also price the mean each generation.
    public let evaluateCenter: Bool

    /// Validated settings, σ₀ checked against the variant's `sigmaParameter`.
    init(populationSize: Int?, sigma: Float?, sigmaParameter: Parameter<Float?>, evaluateCenter: Bool) throws {
        self.populationSize = try CMAES.Parameters.populationSize.checked(populationSize)
        self.sigma = try sigmaParameter.checked(sigma)
        self.evaluateCenter = evaluateCenter
    }

    /// Reads `populationSize`, `sigma` (as the variant's `sigmaParameter` declares it) and `evaluateCenter`.
    init(parameters p: ParameterReader, sigma sigmaParameter: Parameter<Float?>) throws {
        try self.init(
            populationSize: try p.value(CMAES.Parameters.populationSize), sigma: try p.value(sigmaParameter), sigmaParameter: sigmaParameter,
            evaluateCenter: try p.value(CMAES.Parameters.evaluateCenter))
    }
}
