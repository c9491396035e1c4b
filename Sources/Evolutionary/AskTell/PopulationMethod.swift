import WeightLabCore

/// A population method that lets a caller act on every priced generation before the method
/// learns from it — the hook a memetic algorithm needs to refine individuals by local search
/// (Moscato, 1989) and write the result back (Lamarckian) or keep only its fitness (Baldwinian).
///
/// Every `AskTellOptimizer` conforms, so every ask/tell strategy (GA, DE, PSO, the evolution
/// strategies) can serve as the population of a memetic combiner. Single-point methods
/// (gradient descent, simulated annealing) do not.
public protocol PopulationMethod: WeightOptimizer {
    /// One generation, as `step`, with `amend` called once the population has been priced on
    /// `batch` and before the method updates its incumbent and learns from the generation.
    /// `amend` may rewrite rows of the population and their fitness values (non-finite values
    /// count as +∞ afterwards) and draw from `run` (or step other optimizers with it).
    func step(
        _ state: inout State, _ problem: Problem, run: inout RunState,
        amend: (_ population: inout PopulationMatrix, _ fitness: inout [Float], _ batch: Samples, _ run: inout RunState) throws -> Void
    ) throws -> StepReport
}

extension AskTellOptimizer: PopulationMethod {}
