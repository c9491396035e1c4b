import WeightLabCore

/// A generational, real-valued genetic algorithm whose genome is the weight vector
/// (Holland, 1975; Goldberg, 1989; real coding after Eshelman & Schaffer, 1993).
///
/// One generation: sort the parents, copy the `elitism` best unchanged, choose parents with
/// `selection`, make children in pairs with `crossover` (with probability `crossoverRate`,
/// else copies of the parents), mutate every non-elite child with `mutation`, and replace the
/// whole population by the children. Elites are priced again with the children, so under a
/// resampled fitness subset they must keep earning their place.
///
/// The first generation is the starting weights plus `populationSize − 1` draws of
/// `problem.sampleWeights` (the network's initializer, He or Xavier), not uniform noise.
/// Search box: offspring coordinates that leave it are reflected back in (`BoxHandling.reflect`).
/// Defaults follow the problem where a specification leaves them out (`followed`): σ
/// the box's width, or on a network each weight's initializer scale, with every gene mutated
/// and uniform crossover.
/// Cost per generation: `populationSize` evaluations (`populationSize × batch` ledger units).
public struct GeneticAlgorithm: AskTellStrategy {
    /// Offspring are reflected into a search box.
    public var boxHandling: BoxHandling { .reflect }

    /// Individuals per generation (≥ 2). Default 50.
    public var populationSize: Int
    /// Parent selection. Default tournament of 3 (DEAP's examples).
    public var selection: Selection
    /// Recombination. Default one-point (PyGAD's default; it costs a copy, where SBX's
    /// per-gene power costs about 15 ns per gene).
    public var crossover: Crossover
    /// Probability that a pair of parents is recombined rather than copied. Default 0.9 (pymoo).
    public var crossoverRate: Float
    /// Gaussian mutation. Default rate 0.1 (PyGAD's 10% of genes), σ = 0.1, fixed; on a network
    /// every gene at 0.05 of its initializer scale (`followed`).
    public var mutation: GaussianMutation
    /// The parameters a specification left out, which then follow the problem: with a box σ
    /// is 0.1·(high − low); on a network σ is `Parameters.layerShare` of each weight's
    /// initializer scale and, where also left out, every gene is mutated and crossover is
    /// uniform (small steps on every gene beat large steps on a few: docs/domains.md).
    /// Default none: the values above hold as given.
    public var followed: LeftOut
    /// Best individuals copied unchanged into the next generation. Default 1 (PyGAD's `keep_elitism`).
    public var elitism: Int

    public var name: String { "ga" }

    public init(
        populationSize: Int = Parameters.populationSize.defaultValue, selection: Selection = .tournament(size: 3),
        crossover: Crossover = .onePoint, crossoverRate: Float = Parameters.crossoverRate.defaultValue,
        mutation: GaussianMutation? = nil, elitism: Int = Parameters.elitism.defaultValue, followed: LeftOut = []
    ) throws {
        self.populationSize = try Parameters.populationSize.checked(populationSize)
        try selection.validate()
        try crossover.validate()
        self.crossoverRate = try Parameters.crossoverRate.checked(crossoverRate)
        guard elitism >= 0, elitism < populationSize else {
            throw WeightLabError.parameter("elitism", elitism, allowed: "an integer in 0..<populationSize (\(populationSize))")
        }
        self.selection = selection
        self.crossover = crossover
        self.mutation = try mutation ?? GaussianMutation(rate: 0.1, sigma: 0.1)
        self.elitism = elitism
        self.followed = followed
    }

    public struct State: Codable, Sendable {
        /// The current population (the starting population until it has been priced).
        public var parents: PopulationMatrix
        /// Its fitness; empty until priced.
        public var fitness: [Float]
        /// Each parent's mutation σ.
        public var sigmas: [Float]
        /// Per gene, the factor of σ: each weight's initializer scale when σ follows a
        /// network's scale, else nil (σ alone). Set, it also brings the network's operators.
        public var geneScales: [Float]? = nil
        /// The children's σ, from `ask` to `tell`.
        var childSigmas = Scratch<Float>()
        /// Parents sorted best first, chosen parent indices, selection weights: scratch.
        var order = Scratch<Int>()
        var chosen = Scratch<Int>()
        var weights = Scratch<Double>()
    }

    public func populationSize(dimension: Int) -> Int { populationSize }

    /// The parents (P × D floats) beside the children being made, and per individual its σ,
    /// the children's σ, its fitness and the selection's scratch (at most 48 bytes).
    public func stateParts(dimension: Int) -> [(String, Int?)] {
        [
            ("parents \(populationSize) × \(dimension) × 4 bytes", MemoryEstimate.bytes(populationSize, dimension, 4)),
            ("σ, fitness and selection, 48 bytes per individual", MemoryEstimate.bytes(populationSize, 48)),
        ]
    }

    public func initialState(_ problem: Problem, from initial: [Float], rng: inout RandomStream) throws -> State {
        let parents = try initialPopulation(problem, from: initial, count: populationSize, rng: &rng)
        let follows = followed.contains(OperatorParameters.sigma)
        let scales = follows ? problem.networkScales : nil
        let sigma = scales == nil ? (follows ? problem.stepDefault(share: 0.1, otherwise: mutation.sigma) : mutation.sigma) : Parameters.layerShare
        return State(parents: parents, fitness: [], sigmas: [Float](repeating: sigma, count: populationSize), geneScales: scales)
    }

    public func ask(_ state: inout State, into population: inout PopulationMatrix, rng: inout RandomStream) {
        guard state.fitness.count == populationSize else {
            population.values = state.parents.values
            state.childSigmas.values = state.sigmas
            return
        }
        let p = populationSize
        let d = population.dimension
        let elites = elitism
        Fitness.sortIndices(state.fitness, into: &state.order.values)
        let order = state.order.values
        state.childSigmas.resize(p, filling: mutation.sigma)
        for e in 0..<elites {
            population.copyRow(order[e], of: state.parents, to: e)
            state.childSigmas.values[e] = state.sigmas[order[e]]
        }
        let pairs = (p - elites + 1) / 2
        selection.choose(2 * pairs, fitness: state.fitness, order: order, weights: &state.weights.values, into: &state.chosen.values, rng: &rng)
        let chosen = state.chosen.values
        let sigmas = state.sigmas
        let (crossover, mutation) = operators(onNetwork: state.geneScales != nil)
        let crossoverRate = crossoverRate
        let geneScales = state.geneScales ?? []
        geneScales.withUnsafeBufferPointer { scaleBuffer in
            let scales = scaleBuffer.isEmpty ? nil : scaleBuffer.baseAddress
            state.parents.values.withUnsafeBufferPointer { parents in
                population.values.withUnsafeMutableBufferPointer { children in
                    state.childSigmas.values.withUnsafeMutableBufferPointer { childSigmas in
                        guard let from = parents.baseAddress, let to = children.baseAddress else { return }
                        IndividualLoop.forEach(pairs, work: p * d, rng: &rng) { pair, stream in
                            let a = chosen[2 * pair]
                            let b = chosen[2 * pair + 1]
                            let first = elites + 2 * pair
                            let hasSecond = first + 1 < p
                            let firstRow = to + first * d
                            let secondRow: UnsafeMutablePointer<Float>? = hasSecond ? to + (first + 1) * d : nil
                            if stream.uniform() < crossoverRate {
                                crossover.cross(from + a * d, from + b * d, count: d, into: firstRow, secondRow, rng: &stream)
                            } else {
                                firstRow.update(from: from + a * d, count: d)
                                secondRow?.update(from: from + b * d, count: d)
                            }
                            childSigmas[first] = mutation.childSigma(from: sigmas[a], count: d, rng: &stream)
                            mutation.mutate(firstRow, count: d, sigma: childSigmas[first], scales: scales, rng: &stream)
                            if let secondRow {
                                childSigmas[first + 1] = mutation.childSigma(from: sigmas[b], count: d, rng: &stream)
                                mutation.mutate(secondRow, count: d, sigma: childSigmas[first + 1], scales: scales, rng: &stream)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The crossover and mutation in force: on a network whose σ follows its scale, uniform
    /// crossover and every gene mutated, where the specification left them out.
    func operators(onNetwork: Bool) -> (Crossover, GaussianMutation) {
        guard onNetwork else { return (crossover, mutation) }
        var mutation = mutation
        if followed.contains(OperatorParameters.mutationRate) { mutation.rate = 1 }
        return (followed.contains(OperatorParameters.crossover) ? .uniform : crossover, mutation)
    }

    public func tell(_ state: inout State, population: inout PopulationMatrix, fitness: [Float]) {
        state.parents.exchangeValues(with: &population)
        state.fitness = fitness
        swap(&state.sigmas, &state.childSigmas.values)
    }
}

/// The starting weights followed by `count − 1` draws of the problem's initializer, checked
/// against the problem's dimension.
func initialPopulation(_ problem: Problem, from initial: [Float], count: Int, rng: inout RandomStream) throws -> PopulationMatrix {
    let d = problem.dimension
    guard initial.count == d else {
        throw WeightLabError.shape("starting weights", expected: d, actual: initial.count)
    }
    var population = PopulationMatrix(count: count, dimension: d)
    population.setRow(0, from: initial)
    for i in 1..<max(count, 1) {
        let draw = problem.sampleWeights(&rng)
        guard draw.count == d else {
            throw WeightLabError.shape("problem.sampleWeights draw", expected: d, actual: draw.count)
        }
        population.setRow(i, from: draw)
    }
    return population
}

extension GeneticAlgorithm {
    /// The GA's parameters, with its operators' (`OperatorParameters`).
    public enum Parameters {
        public static let populationSize = Parameter("populationSize", default: 50, .within(2...1_000_000), "individuals per generation (≥ 2)")
        public static let crossoverRate = Parameter("crossoverRate", default: Float(0.9), .unit, "probability a pair is recombined")
        public static let elitism = Parameter("elitism", default: 1, .within(0...1_000_000), "best individuals kept unchanged (PyGAD's `keep_elitism`)")
        public static let infos = [populationSize.info] + OperatorParameters.infos().map(followingTheProblem) + [crossoverRate.info, elitism.info]

        /// The rows whose defaults follow the problem (`followed`), with their rules.
        static func followingTheProblem(_ info: ParameterInfo) -> ParameterInfo {
            switch info.name {
            case OperatorParameters.sigma.name:
                return ParameterInfo(
                    name: info.name, defaultText: "0.1·(high − low) with a box, \(layerShare) of each weight's initializer scale on a network, else 0.1",
                    allowed: info.allowed, doc: info.doc)
            case OperatorParameters.mutationRate.name:
                return ParameterInfo(name: info.name, defaultText: "1 on a network with σ left out, else 0.1", allowed: info.allowed, doc: info.doc)
            case OperatorParameters.crossover.name:
                return ParameterInfo(name: info.name, defaultText: "`uniform` on a network with σ left out, else `one-point`", allowed: info.allowed, doc: info.doc)
            default:
                return info
            }
        }

        /// σ on a network, in units of each weight's initializer scale (docs/domains.md).
        static let layerShare: Float = 0.05
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(
            populationSize: try p.value(Parameters.populationSize), selection: try Selection(parameters: p),
            crossover: try Crossover(parameters: p), crossoverRate: try p.value(Parameters.crossoverRate),
            mutation: try GaussianMutation(parameters: p, rate: 0.1, sigma: 0.1), elitism: try p.value(Parameters.elitism),
            followed: LeftOut([OperatorParameters.sigma.name, OperatorParameters.mutationRate.name, OperatorParameters.crossover.name], of: p))
    }

}
