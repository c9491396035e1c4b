import WeightLabCore

/// How a population method keeps to a problem's `SearchBox`, chosen per method as its
/// literature does; `AskTellOptimizer` applies it to every asked population before pricing.
/// Whatever the choice, the incumbent is a priced row projected into the box, so it is never
/// outside.
public enum BoxHandling: String, Sendable, Codable, CaseIterable {
    /// Coordinates that left the box are mirrored back in at the bound they crossed
    /// (`SearchBox.reflect`): GA offspring.
    case reflect
    /// Coordinates that left the box are set to the bound they crossed (`SearchBox.clip`): PSO
    /// positions, whose velocity component the swarm then zeroes ("absorbing walls", Robinson
    /// & Rahmat-Samii, 2004, the wall that suits optima on the boundary best).
    case clip
    /// Coordinates that left the box are redrawn uniformly inside it (`SearchBox.resample`):
    /// DE's trial vectors, as in Price, Storn & Lampinen (2005) and scipy's
    /// `differential_evolution`.
    case resample
    /// Individuals are left as sampled and priced by the problem's objective at their
    /// projection plus a penalty on the distance (`BoxedObjective`), so a distribution method
    /// learns from its own unrepaired draws (Hansen's boundary handling for CMA-ES, pycma's
    /// `BoundPenalty`): CMA-ES, sep-CMA-ES and the evolution strategies.
    case clipWithPenalty = "clip-with-penalty"

    /// Repairs the first `rows` rows of `population` into `box`.
    func repair(_ population: inout PopulationMatrix, rows: Int, box: SearchBox, rng: inout RandomStream) {
        guard self != .clipWithPenalty else { return }
        let d = population.dimension
        population.values.withUnsafeMutableBufferPointer { all in
            guard let base = all.baseAddress, d > 0 else { return }
            for k in 0..<min(rows, population.count) {
                switch self {
                case .reflect: box.reflect(base + k * d, count: d)
                case .clip: box.clip(base + k * d, count: d)
                case .resample: box.resample(base + k * d, count: d, rng: &rng)
                case .clipWithPenalty: break
                }
            }
        }
    }
}
