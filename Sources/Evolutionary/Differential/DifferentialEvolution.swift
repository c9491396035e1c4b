import WeightLabCore

/// Differential evolution (Storn & Price, 1997, J. Global Optim. 11) over the weight vector.
///
/// For every member xᵢ of the population a mutant v is built from difference vectors of other
/// members r₁, r₂, r₃ (distinct from each other and from i):
///
///     rand/1:            v = x_r1 + F·(x_r2 − x_r3)
///     best/1:            v = x_best + F·(x_r1 − x_r2)
///     current-to-best/1: v = xᵢ + F·(x_best − xᵢ) + F·(x_r1 − x_r2)
///
/// then binomial crossover makes the trial u: uⱼ = vⱼ with probability CR, and always for one
/// random j, else xᵢⱼ. The trial replaces xᵢ when its fitness is no worse (one-to-one
/// selection). Under a resampled fitness subset the parents keep the fitness they were last
/// priced with.
///
/// Search box: trial coordinates that leave it are redrawn uniformly inside it
/// (`BoxHandling.resample`, as scipy's `differential_evolution` does).
///
/// The first generation is the starting weights plus draws of `problem.sampleWeights`.
/// Cost per generation: `populationSize` evaluations.
public struct DifferentialEvolution: AskTellStrategy {
    /// Trial coordinates outside a search box are redrawn inside it.
    public var boxHandling: BoxHandling { .resample }

    /// Which mutant each member gets.
    public enum Variant: String, Sendable, Codable, CaseIterable {
        case rand1 = "rand/1/bin"
        case best1 = "best/1/bin"
        case currentToBest1 = "current-to-best/1/bin"
    }

    /// Members (≥ 4). Default 50.
    public var populationSize: Int
    /// The mutation strategy. Default rand/1/bin (Storn & Price's DE/rand/1/bin).
    public var variant: Variant
    /// Differential weight F ∈ (0, 2]. Default 0.8 (Storn & Price's suggested range 0.5–1).
    public var differentialWeight: Float
    /// Crossover probability CR ∈ [0, 1]. Default 0.9 (Storn & Price; low values such as 0.1
    /// suit separable functions like Rastrigin).
    public var crossoverRate: Float

    public var name: String { "de" }

    public init(
        populationSize: Int = Parameters.populationSize.defaultValue, variant: Variant = .rand1,
        differentialWeight: Float = Parameters.differentialWeight.defaultValue, crossoverRate: Float = Parameters.crossoverRate.defaultValue
    ) throws {
        self.populationSize = try Parameters.populationSize.checked(populationSize)
        guard differentialWeight.isFinite, differentialWeight > 0, differentialWeight <= 2 else {
            throw WeightLabError.parameter("differentialWeight", differentialWeight, allowed: "a value in (0, 2]")
        }
        self.crossoverRate = try Parameters.crossoverRate.checked(crossoverRate)
        self.variant = variant
        self.differentialWeight = differentialWeight
    }

    public struct State: Codable, Sendable {
        /// The current members.
        public var members: PopulationMatrix
        /// Their fitness; empty until the first generation is priced.
        public var fitness: [Float]
    }

    public func populationSize(dimension: Int) -> Int { populationSize }

    /// The members (P × D floats) beside the trials being priced, and their fitness.
    public func stateParts(dimension: Int) -> [(String, Int?)] {
        [
            ("members \(populationSize) × \(dimension) × 4 bytes", MemoryEstimate.bytes(populationSize, dimension, 4)),
            ("fitness, 4 bytes per member", MemoryEstimate.bytes(populationSize, 4)),
        ]
    }

    public func initialState(_ problem: Problem, from initial: [Float], rng: inout RandomStream) throws -> State {
        State(members: try initialPopulation(problem, from: initial, count: populationSize, rng: &rng), fitness: [])
    }

    public func ask(_ state: inout State, into population: inout PopulationMatrix, rng: inout RandomStream) {
        guard state.fitness.count == populationSize else {
            population.values = state.members.values
            return
        }
        let p = populationSize
        let d = population.dimension
        let best = Fitness.argmin(state.fitness)
        let f = differentialWeight
        let cr = crossoverRate
        let variant = variant
        state.members.values.withUnsafeBufferPointer { members in
            population.values.withUnsafeMutableBufferPointer { trials in
                guard let x = members.baseAddress, let out = trials.baseAddress else { return }
                IndividualLoop.forEach(p, work: p * d, rng: &rng) { i, stream in
                    let (r1, r2, r3) = Self.distinctOthers(of: i, below: p, rng: &stream)
                    let current = x + i * d
                    // Every variant is v = base + F·(plus − minus) + G·(x_best − xᵢ).
                    let base: UnsafePointer<Float>
                    let plus: UnsafePointer<Float>
                    let minus: UnsafePointer<Float>
                    var g: Float = 0
                    switch variant {
                    case .rand1: (base, plus, minus) = (x + r1 * d, x + r2 * d, x + r3 * d)
                    case .best1: (base, plus, minus) = (x + best * d, x + r1 * d, x + r2 * d)
                    case .currentToBest1:
                        (base, plus, minus) = (current, x + r1 * d, x + r2 * d)
                        g = f
                    }
                    let leader = x + best * d
                    let trial = out + i * d
                    let forced = stream.index(below: d)
                    var local = stream  // a local copy keeps the generator's state in registers
                    defer { stream = local }
                    for j in 0..<d {
                        if j == forced || local.uniform() < cr {
                            trial[j] = base[j] + f * (plus[j] - minus[j]) + g * (leader[j] - current[j])
                        } else {
                            trial[j] = current[j]
                        }
                    }
                }
            }
        }
    }

    /// Three indices below `count`, distinct from each other and from `i` (count ≥ 4).
    static func distinctOthers(of i: Int, below count: Int, rng: inout RandomStream) -> (Int, Int, Int) {
        var r1 = rng.index(below: count)
        while r1 == i { r1 = rng.index(below: count) }
        var r2 = rng.index(below: count)
        while r2 == i || r2 == r1 { r2 = rng.index(below: count) }
        var r3 = rng.index(below: count)
        while r3 == i || r3 == r1 || r3 == r2 { r3 = rng.index(below: count) }
        return (r1, r2, r3)
    }

    public func tell(_ state: inout State, population: inout PopulationMatrix, fitness: [Float]) {
        guard state.fitness.count == populationSize else {
            state.members.exchangeValues(with: &population)
            state.fitness = fitness
            return
        }
        for i in 0..<populationSize where fitness[i] <= state.fitness[i] {
            state.fitness[i] = fitness[i]
            state.members.copyRow(i, of: population, to: i)
        }
    }
}

extension DifferentialEvolution {
    /// DE's parameters.
    public enum Parameters {
        public static let populationSize = Parameter("populationSize", default: 50, .within(4...1_000_000), "members (≥ 4)")
        public static let variant = Parameter("variant", default: Variant.rand1.rawValue, .oneOf(Variant.allCases.map(\.rawValue)), "`rand/1/bin`, `best/1/bin`, `current-to-best/1/bin`")
        public static let differentialWeight = Parameter("differentialWeight", default: Float(0.8), .within(1e-6...2), "F ∈ (0, 2]")
        public static let crossoverRate = Parameter("crossoverRate", default: Float(0.9), .unit, "CR; low values (0.1) suit separable functions")
        public static let infos = [populationSize.info, variant.info, differentialWeight.info, crossoverRate.info]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(
            populationSize: try p.value(Parameters.populationSize), variant: Variant(rawValue: try p.value(Parameters.variant)) ?? .rand1,
            differentialWeight: try p.value(Parameters.differentialWeight), crossoverRate: try p.value(Parameters.crossoverRate))
    }
}
