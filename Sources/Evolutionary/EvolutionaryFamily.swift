import WeightLabCore

/// The gradient-free optimizers, registered by name. Parameters are read from a specification
/// (`{"optimizer": "ga", "populationSize": 100, "crossover": "blx"}`, or `--param NAME=VALUE`)
/// with the defaults listed per method below; an unknown parameter is an error naming the known ones.
public enum EvolutionaryFamily {
    /// The family name entries are registered under.
    public static let family = "evolutionary"

    /// Registers `ga`, `pso`, `sa`, `gsl-siman`, `cma-es`, `sep-cma-es`, `de`, `openai-es`, `pgpe` and `snes`.
    public static func register(in registry: OptimizerRegistry) {
        let entries: [(name: String, summary: String, factory: OptimizerRegistry.Factory)] = [
            ("ga", "genetic algorithm: selection, crossover, Gaussian mutation, elitism", { p, _ in AskTellOptimizer(try geneticAlgorithm(p)) }),
            ("pso", "particle swarm: gbest or ring, inertia or constriction, velocity clamp", { p, _ in AskTellOptimizer(try particleSwarm(p)) }),
            ("de", "differential evolution: rand/1, best/1, current-to-best/1 with binomial crossover", { p, _ in AskTellOptimizer(try differentialEvolution(p)) }),
            ("cma-es", "CMA-ES with full covariance (Hansen 2016), for small dimensions", { p, _ in AskTellOptimizer(try cmaES(p)) }),
            ("sep-cma-es", "separable (diagonal) CMA-ES (Ros & Hansen 2008), linear in the dimension", { p, _ in AskTellOptimizer(try separableCMAES(p)) }),
            ("openai-es", "OpenAI-ES: antithetic sampling, centered ranks, Adam (Salimans et al. 2017)", { p, _ in AskTellOptimizer(try openAIES(p)) }),
            ("pgpe", "PGPE with learned per-weight sigma and symmetric sampling (Sehnke et al. 2010)", { p, _ in AskTellOptimizer(try pgpe(p)) }),
            ("snes", "separable natural evolution strategy (Schaul et al. 2011)", { p, _ in AskTellOptimizer(try snes(p)) }),
            ("sa", "simulated annealing: Gaussian/Cauchy moves, four schedules, reheating, adaptive step", { p, _ in try simulatedAnnealing(p) }),
            ("gsl-siman", "simulated annealing driven by GSL's gsl_siman_solve", { p, _ in try gslAnnealing(p) }),
        ]
        for entry in entries {
            registry.register(entry.name, family: family, summary: entry.summary, factory: entry.factory)
        }
    }

    /// `ga`: populationSize 50; selection `tournament` (or `roulette`, `rank`, `truncation`) with
    /// tournamentSize 3, selectionPressure 1.5 (rank), truncationFraction 0.5 (truncation);
    /// crossover `one-point` (or `uniform`, `two-point`, `blx`, `sbx`) with blendAlpha 0.5 (blx),
    /// sbxEta 15 (sbx), crossoverRate 0.9; mutationRate 0.1, sigma 0.1 (mutation σ),
    /// selfAdaptive false; elitism 1.
    static func geneticAlgorithm(_ p: ParameterReader) throws -> GeneticAlgorithm {
        let selection = try Selection(parameters: p)
        let crossover = try Crossover(parameters: p)
        let mutation = try GaussianMutation(parameters: p, rate: 0.1, sigma: 0.1)
        return try GeneticAlgorithm(
            populationSize: try p.int("populationSize", default: 50, in: 2...1_000_000), selection: selection,
            crossover: crossover, crossoverRate: try p.float("crossoverRate", default: 0.9, in: 0...1),
            mutation: mutation, elitism: try p.int("elitism", default: 1, in: 0...1_000_000))
    }

    /// `pso`: populationSize 40; inertia 0.7298, finalInertia (none: constant), inertiaGenerations
    /// 1000; cognitive and social 1.49618 (2.05 with constriction); constriction false; topology
    /// `gbest` (or `ring`); velocityClamp (none); initialSpread 1.
    static func particleSwarm(_ p: ParameterReader) throws -> ParticleSwarm {
        let topology = try p.choice("topology", default: "gbest", from: ParticleSwarm.Topology.allCases.map(\.rawValue))
        return try ParticleSwarm(
            populationSize: try p.int("populationSize", default: 40, in: 2...1_000_000),
            inertia: try p.float("inertia", default: 0.7298, in: -1...2),
            finalInertia: try p.optionalFloat("finalInertia", in: -1...2),
            inertiaGenerations: try p.int("inertiaGenerations", default: 1000, in: 1...Int.max),
            cognitive: try p.optionalFloat("cognitive", in: 0...10),
            social: try p.optionalFloat("social", in: 0...10),
            constriction: try p.bool("constriction", default: false),
            topology: ParticleSwarm.Topology(rawValue: topology) ?? .global,
            velocityClamp: try p.optionalFloat("velocityClamp", in: Float.leastNormalMagnitude...Float.greatestFiniteMagnitude),
            initialSpread: try p.float("initialSpread", default: 1, in: Float.leastNormalMagnitude...1))
    }

    /// `de`: populationSize 50; variant `rand/1/bin` (or `best/1/bin`, `current-to-best/1/bin`);
    /// differentialWeight 0.8; crossoverRate 0.9.
    static func differentialEvolution(_ p: ParameterReader) throws -> DifferentialEvolution {
        let variant = try p.choice("variant", default: "rand/1/bin", from: DifferentialEvolution.Variant.allCases.map(\.rawValue))
        return try DifferentialEvolution(
            populationSize: try p.int("populationSize", default: 50, in: 4...1_000_000),
            variant: DifferentialEvolution.Variant(rawValue: variant) ?? .rand1,
            differentialWeight: try p.float("differentialWeight", default: 0.8, in: 1e-6...2),
            crossoverRate: try p.float("crossoverRate", default: 0.9, in: 0...1))
    }

    /// `cma-es`: populationSize 4 + ⌊3 ln n⌋; sigma 0.3; evaluateCenter true.
    static func cmaES(_ p: ParameterReader) throws -> CMAES {
        try CMAES(
            populationSize: try p.intIfPresent("populationSize", in: 2...1_000_000),
            sigma: try p.float("sigma", default: 0.3, in: 1e-30...1e30),
            evaluateCenter: try p.bool("evaluateCenter", default: true))
    }

    /// `sep-cma-es`: populationSize 4 + ⌊3 ln n⌋; sigma 0.05; evaluateCenter true.
    static func separableCMAES(_ p: ParameterReader) throws -> SeparableCMAES {
        try SeparableCMAES(
            populationSize: try p.intIfPresent("populationSize", in: 2...1_000_000),
            sigma: try p.float("sigma", default: 0.05, in: 1e-30...1e30),
            evaluateCenter: try p.bool("evaluateCenter", default: true))
    }

    /// `openai-es`: populationSize 50 (even); sigma 0.02; update `adam` (or `clipup`, `sgd`)
    /// with learningRate 0.01, beta1 0.9, beta2 0.999, epsilon 1e-8 (adam), momentum 0.9 and
    /// maxSpeed 2·learningRate (clipup), momentum 0 (sgd); weightDecay 0; shaping
    /// `centered-ranks` (or `nes-utilities`); evaluateCenter true.
    static func openAIES(_ p: ParameterReader) throws -> OpenAIES {
        try OpenAIES(
            populationSize: try p.int("populationSize", default: 50, in: 2...1_000_000),
            sigma: try p.float("sigma", default: 0.02, in: 1e-30...1e30),
            update: try centerUpdate(p, defaultRule: "adam", defaultLearningRate: 0.01),
            weightDecay: try p.float("weightDecay", default: 0, in: 0...1e6),
            shaping: try shaping(p),
            evaluateCenter: try p.bool("evaluateCenter", default: true))
    }

    /// `pgpe`: populationSize 50 (even); sigma 0.05 (starting σ of every weight); update
    /// `clipup` (or `adam`, `sgd`) with learningRate 0.15, maxSpeed 2·learningRate, momentum 0.9
    /// (clipup), beta1 0.9, beta2 0.999, epsilon 1e-8 (adam); sigmaLearningRate 0.1;
    /// sigmaMaxChange 0.2; shaping `centered-ranks`; evaluateCenter true.
    static func pgpe(_ p: ParameterReader) throws -> PGPE {
        try PGPE(
            populationSize: try p.int("populationSize", default: 50, in: 2...1_000_000),
            sigma: try p.float("sigma", default: 0.05, in: 1e-30...1e30),
            update: try centerUpdate(p, defaultRule: "clipup", defaultLearningRate: 0.15),
            sigmaLearningRate: try p.float("sigmaLearningRate", default: 0.1, in: 0...100),
            sigmaMaxChange: try p.float("sigmaMaxChange", default: 0.2, in: 0...0.999),
            shaping: try shaping(p),
            evaluateCenter: try p.bool("evaluateCenter", default: true))
    }

    /// `snes`: populationSize 4 + ⌊3 ln n⌋; sigma 0.05; centerLearningRate 1; sigmaLearningRate
    /// (3 + ln n)/(5√n); evaluateCenter true.
    static func snes(_ p: ParameterReader) throws -> SNES {
        try SNES(
            populationSize: try p.intIfPresent("populationSize", in: 2...1_000_000),
            sigma: try p.float("sigma", default: 0.05, in: 1e-30...1e30),
            centerLearningRate: try p.float("centerLearningRate", default: 1, in: 0...100),
            sigmaLearningRate: try p.optionalFloat("sigmaLearningRate", in: 0...100),
            evaluateCenter: try p.bool("evaluateCenter", default: true))
    }

    /// `sa`: move `gaussian` (or `cauchy`), moveFraction 1, stepSize 0.1; temperature
    /// (calibrated when absent) with initialAcceptance 0.8 over calibrationMoves 20; schedule
    /// `exponential` (coolingRate 0.999), `linear` (coolingMoves 10000), `logarithmic` or `fast`;
    /// movesPerStep 100; reheatAfter (never); targetAcceptance (fixed step) with
    /// adaptationInterval 100.
    static func simulatedAnnealing(_ p: ParameterReader) throws -> SimulatedAnnealing {
        let schedule: CoolingSchedule
        switch try p.choice("schedule", default: "exponential", from: CoolingSchedule.names) {
        case "linear": schedule = .linear(moves: try p.int("coolingMoves", default: 10_000, in: 1...Int.max))
        case "logarithmic": schedule = .logarithmic
        case "fast": schedule = .fast
        default: schedule = .exponential(rate: try p.float("coolingRate", default: 0.999, in: 1e-6...0.999999))
        }
        return try SimulatedAnnealing(
            perturbation: try perturbation(p),
            stepSize: try p.float("stepSize", default: 0.1, in: 1e-30...1e30),
            temperature: try p.optionalFloat("temperature", in: 0...Float.greatestFiniteMagnitude),
            initialAcceptance: try p.float("initialAcceptance", default: 0.8, in: 1e-6...0.999999),
            calibrationMoves: try p.int("calibrationMoves", default: 20, in: 1...1_000_000),
            schedule: schedule,
            movesPerStep: try p.int("movesPerStep", default: 100, in: 1...Int.max),
            reheatAfter: try p.intIfPresent("reheatAfter", in: 1...Int.max),
            targetAcceptance: try p.optionalFloat("targetAcceptance", in: 1e-6...0.999999),
            adaptationInterval: try p.int("adaptationInterval", default: 100, in: 1...Int.max))
    }

    /// `gsl-siman`: iterationsPerTemperature 100; stepSize 0.1; move `gaussian`, moveFraction 1;
    /// boltzmann 1; temperature 0.008; coolingFactor 1.003; minimumTemperature 2e-6
    /// (the last three are GSL's example values); temperaturesPerStep 10.
    static func gslAnnealing(_ p: ParameterReader) throws -> GSLAnnealing {
        try GSLAnnealing(
            iterationsPerTemperature: try p.int("iterationsPerTemperature", default: 100, in: 1...Int(Int32.max)),
            stepSize: try p.float("stepSize", default: 0.1, in: 1e-30...1e30),
            perturbation: try perturbation(p),
            boltzmann: try p.float("boltzmann", default: 1, in: 1e-30...1e30),
            temperature: try p.float("temperature", default: 0.008, in: 1e-30...1e30),
            coolingFactor: try p.float("coolingFactor", default: 1.003, in: 1.000001...1e6),
            minimumTemperature: try p.float("minimumTemperature", default: 2e-6, in: 1e-30...1e30),
            temperaturesPerStep: try p.int("temperaturesPerStep", default: 10, in: 1...Int.max))
    }

    private static func perturbation(_ p: ParameterReader) throws -> Perturbation {
        let kind = try p.choice("move", default: "gaussian", from: Perturbation.Kind.allCases.map(\.rawValue))
        return try Perturbation(
            kind: Perturbation.Kind(rawValue: kind) ?? .gaussian,
            fraction: try p.float("moveFraction", default: 1, in: 1e-9...1))
    }

    private static func shaping(_ p: ParameterReader) throws -> FitnessShaping {
        let name = try p.choice("shaping", default: FitnessShaping.centeredRanks.rawValue, from: FitnessShaping.allCases.map(\.rawValue))
        return FitnessShaping(rawValue: name) ?? .centeredRanks
    }

    private static func centerUpdate(_ p: ParameterReader, defaultRule: String, defaultLearningRate: Float) throws -> CenterUpdate {
        let rule = try p.choice("update", default: defaultRule, from: CenterUpdate.names)
        let learningRate = try p.float("learningRate", default: defaultLearningRate, in: 1e-30...1e30)
        switch rule {
        case "sgd":
            return .gradientDescent(learningRate: learningRate, momentum: try p.float("momentum", default: 0, in: 0...0.999999))
        case "clipup":
            return .clipUp(
                stepSize: learningRate, maxSpeed: try p.float("maxSpeed", default: 2 * learningRate, in: 1e-30...1e30),
                momentum: try p.float("momentum", default: 0.9, in: 0...0.999999))
        default:
            return .adam(
                learningRate: learningRate, beta1: try p.float("beta1", default: 0.9, in: 0...0.999999),
                beta2: try p.float("beta2", default: 0.999, in: 0...0.999999), epsilon: try p.float("epsilon", default: 1e-8, in: 1e-30...1))
        }
    }
}

extension ParameterReader {
    /// An optional integer parameter in `range`: nil when absent.
    func intIfPresent(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard raw(key) != nil else { return nil }
        return try int(key, default: 0, in: range)
    }
}
