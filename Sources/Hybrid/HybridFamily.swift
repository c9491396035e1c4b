import WeightLabCore

/// The hybrid family's registry entries: combiners whose parts are any registered
/// optimizers, given as nested specifications and built through the same registry (so
/// combiners nest).
///
/// | name | combiner | parts |
/// | --- | --- | --- |
/// | `sequential` | `SequentialHandOff` | `parts`: a chain, each with an `until` rule but the last |
/// | `memetic` | `Memetic` | `population` (a population method), `local` (single-point, with `steps`) |
/// | `esgd` | `EvolutionarySGD` | `trainer` or `trainers` (single-point) |
/// | `pbt` | `PopulationBasedTraining` | `trainer` (single-point, with the tuned hyperparameters) |
/// | `portfolio` | `Portfolio` | `parts`: any optimizers |
/// | `principal-subspace` | `PrincipalSubspace` | `inner`: any optimizer, run in the inputs' principal subspace |
/// | `ipop` | `IPOPRestarts` | `inner`: a population method, restarted with twice the population on stagnation |
/// | `islands` | `Islands` | `island`: a population method, run as n islands exchanging their k best |
///
/// ```json
/// {"optimizer": "memetic", "population": {"optimizer": "ga", "populationSize": 32},
///  "local": {"optimizer": "adam", "learningRate": 0.001, "steps": 5}, "mode": "lamarckian"}
/// ```
public enum HybridFamily {
    /// The family name entries are registered under.
    public static let family = "hybrid"

    /// Registers `sequential`, `memetic`, `esgd`, `pbt`, `portfolio`, `ipop`, `principal-subspace` and `islands`.
    public static func register(in registry: inout OptimizerRegistry) {
        let entries: [(name: String, summary: String, parameters: [ParameterInfo], factory: OptimizerRegistry.Factory)] = [
            ("sequential", "sequential hand-off: each part starts from the previous one's incumbent (share, units, steps, stagnation)",
             SequentialHandOff.Parameters.infos, { p, r in try SequentialHandOff(parameters: p, registry: r) }),
            ("memetic", "memetic: a population method whose best individuals are refined by k local steps (Lamarckian or Baldwinian)",
             MemeticSpecification.infos, { p, r in try MemeticSpecification.make(p, r) }),
            ("esgd", "evolutionary SGD (Cui et al. 2018): members trained in turn, then selection, crossover and mutation",
             EvolutionarySGD.Parameters.infos, { p, r in try EvolutionarySGD(parameters: p, registry: r) }),
            ("pbt", "population-based training (Jaderberg et al. 2017): exploit the best, explore hyperparameters",
             PopulationBasedTraining.Parameters.infos, { p, r in try PopulationBasedTraining(parameters: p, registry: r) }),
            ("portfolio", "portfolio race: equal budget shares, the weakest dropped at each checkpoint",
             Portfolio.Parameters.infos, { p, r in try Portfolio(parameters: p, registry: r) }),
            ("ipop", "IPOP restarts (Auger & Hansen 2005): a population method restarted on stagnation with twice the population",
             IPOPRestarts.Parameters.infos, { p, r in try IPOPRestarts(parameters: p, registry: r) }),
            ("islands", "island model: n runs of a population method, the k best migrating every m generations to replace the worst (ring or random)",
             IslandsSpecification.infos, { p, r in try IslandsSpecification.make(p, r) }),
            ("principal-subspace", "any optimizer with the first layer moving only along the inputs' k principal directions (components, whitening)",
             PrincipalSubspace.Parameters.infos, { p, r in try PrincipalSubspace(parameters: p, registry: r) }),
        ]
        for entry in entries {
            registry.register(entry.name, family: family, summary: entry.summary, parameters: entry.parameters, factory: entry.factory)
        }
    }
}
