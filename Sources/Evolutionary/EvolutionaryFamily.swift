import WeightLabCore

/// The gradient-free optimizers, registered by name with their declared parameters
/// (`weightlab optimizers NAME` prints them). Parameters are read from a specification
/// (`{"optimizer": "ga", "populationSize": 100, "crossover": "blx"}`, or `--param NAME=VALUE`);
/// an unknown parameter is an error naming the known ones.
public enum EvolutionaryFamily {
    /// The family name entries are registered under.
    public static let family = "evolutionary"

    /// Registers `ga`, `pso`, `de`, `cma-es`, `sep-cma-es`, `openai-es`, `pgpe`, `snes`, `sa` and `gsl-siman`.
    public static func register(in registry: inout OptimizerRegistry) {
        let entries: [(name: String, summary: String, parameters: [ParameterInfo], factory: OptimizerRegistry.Factory)] = [
            ("ga", "genetic algorithm: selection, crossover, Gaussian mutation, elitism", GeneticAlgorithm.Parameters.infos,
             { p, _ in AskTellOptimizer(try GeneticAlgorithm(parameters: p)) }),
            ("pso", "particle swarm: gbest or ring, inertia or constriction, velocity clamp", ParticleSwarm.Parameters.infos,
             { p, _ in AskTellOptimizer(try ParticleSwarm(parameters: p)) }),
            ("de", "differential evolution: rand/1, best/1, current-to-best/1 with binomial crossover", DifferentialEvolution.Parameters.infos,
             { p, _ in AskTellOptimizer(try DifferentialEvolution(parameters: p)) }),
            ("cma-es", "CMA-ES with full covariance (Hansen 2016), for small dimensions", CMAES.Parameters.infos,
             { p, _ in AskTellOptimizer(try CMAES(parameters: p)) }),
            ("sep-cma-es", "separable (diagonal) CMA-ES (Ros & Hansen 2008), linear in the dimension", SeparableCMAES.Parameters.infos,
             { p, _ in AskTellOptimizer(try SeparableCMAES(parameters: p)) }),
            ("openai-es", "OpenAI-ES: antithetic sampling, centered ranks, Adam (Salimans et al. 2017)", OpenAIES.Parameters.infos,
             { p, _ in AskTellOptimizer(try OpenAIES(parameters: p)) }),
            ("pgpe", "PGPE with learned per-weight sigma and symmetric sampling (Sehnke et al. 2010)", PGPE.Parameters.infos,
             { p, _ in AskTellOptimizer(try PGPE(parameters: p)) }),
            ("snes", "separable natural evolution strategy (Schaul et al. 2011)", SNES.Parameters.infos,
             { p, _ in AskTellOptimizer(try SNES(parameters: p)) }),
            ("sa", "simulated annealing: Gaussian/Cauchy moves, four schedules, reheating, adaptive step", SimulatedAnnealing.Parameters.infos,
             { p, _ in try SimulatedAnnealing(parameters: p) }),
            ("gsl-siman", "simulated annealing driven by GSL's gsl_siman_solve", GSLAnnealing.Parameters.infos,
             { p, _ in try GSLAnnealing(parameters: p) }),
        ]
        for entry in entries {
            registry.register(entry.name, family: family, summary: entry.summary, parameters: entry.parameters, factory: entry.factory)
        }
    }
}
