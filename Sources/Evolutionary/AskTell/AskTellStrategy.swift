import WeightLabCore

/// A population method in ask/tell form (as in evosax and pycma): the strategy proposes a
/// population, somebody prices it, and the strategy learns from the prices.
///
/// Minimization is the convention: lower fitness is better. The caller replaces every
/// non-finite fitness by +∞ before `tell` sees it (see `Fitness.sanitize`), so a diverged
/// individual is simply the worst one.
///
/// `AskTellOptimizer` turns any strategy into a `WeightOptimizer`; tests and hybrids can also
/// drive `ask` and `tell` directly.
public protocol AskTellStrategy: Sendable {
    /// Everything the strategy carries from one generation to the next.
    associatedtype State: Codable & Sendable

    /// The registry name (`"ga"`, `"cma-es"`, ...).
    var name: String { get }

    /// Rows of every population this strategy asks for, for a problem of `dimension` weights
    /// (including the distribution's center when a strategy evaluates it).
    func populationSize(dimension: Int) -> Int

    /// The state before the first generation. `initial` is the run's starting point (the
    /// incumbent handed over by a hybrid, or a draw of the network's initializer); methods
    /// that keep a population draw its other members from `problem.sampleWeights`.
    func initialState(_ problem: Problem, from initial: [Float], rng: inout RandomStream) throws -> State

    /// Writes the next population into `population`, which has `populationSize(dimension:)`
    /// rows of the problem's dimension.
    func ask(_ state: inout State, into population: inout PopulationMatrix, rng: inout RandomStream)

    /// Learns from `fitness` (one finite-or-+∞ value per row) of the population the last `ask`
    /// wrote. The strategy may take the population's storage (swap it into its state); the
    /// caller treats the matrix's contents as undefined afterwards, its shape unchanged.
    func tell(_ state: inout State, population: inout PopulationMatrix, fitness: [Float])

    /// The row of every population that holds the distribution's center, for a strategy that
    /// prices its center each generation; nil for one that does not (or has none). Under a
    /// resampled fitness subset the incumbent is that row rather than the luckiest sample.
    func centerRow(dimension: Int) -> Int?

    /// How the strategy keeps to a problem's search box (see `BoxHandling`).
    var boxHandling: BoxHandling { get }

    /// A reason to stop when the strategy can make no further progress (a collapsed step
    /// size, a non-finite distribution); nil while it can go on.
    func finished(_ state: State) -> String?

    /// Why a decoded `state` cannot continue on `dimension` weights (an array of another
    /// length, parameters of another configuration), nil when it can. Every strategy states its
    /// own shapes (`RestoredStateShapes.swift`): a checkpoint or C state edited, or written
    /// for another problem, is then an error instead of a trap.
    func mismatch(_ state: State, dimension: Int) -> String?

    /// What the strategy's state holds on `dimension` weights beyond the population it is
    /// asked to fill, each part described with its bytes (nil for more than can be counted):
    /// checked against the memory available before anything is allocated.
    func stateParts(dimension: Int) -> [(String, Int?)]
}

extension AskTellStrategy {
    /// A state of a few vectors of `dimension`: 8 doubles per weight.
    public func stateParts(dimension: Int) -> [(String, Int?)] { [("strategy state", MemoryEstimate.bytes(8, 8, dimension))] }
    public func finished(_ state: State) -> String? { nil }
    public func centerRow(dimension: Int) -> Int? { nil }
    public var boxHandling: BoxHandling { .clipWithPenalty }
}
