import WeightLabCore

/// One member of a population of trainers (ESGD, population-based training): its trainer's
/// state, the fitness it was last measured at, and what sets its trainer apart.
public struct Member: Codable, Sendable {
    /// The trainer's state: the member's weights and its optimizer's memory (moments, step count).
    public var state: AnyWeightOptimizer.State
    /// Fitness at the last population step; +∞ before the first.
    public var fitness: Float
    /// Which of the combiner's trainers trains this member (ESGD's per-member optimizers).
    public var trainer: Int
    /// The member's own hyperparameter values, in the combiner's order (PBT).
    public var hyperparameters: [Float]
    /// Set when a step of the member's gave a non-finite loss: it takes no more steps until
    /// the next population step replaces or restores it.
    public var diverged: Bool

    public init(state: AnyWeightOptimizer.State, trainer: Int = 0, hyperparameters: [Float] = []) {
        self.state = state
        self.fitness = .infinity
        self.trainer = trainer
        self.hyperparameters = hyperparameters
        self.diverged = false
    }
}
