import WeightLabCore
import WeightLabEvolutionary

/// Builds a `Memetic` from `{"population": SPEC, "local": SPEC with "steps": k, "refine": m or
/// "all", "mode": "lamarckian" or "baldwinian"}`.
enum MemeticSpecification {
    static let steps = Parameter("steps", default: 5, .within(1...1_000_000), "local steps per refined individual (a key of `local`)")
    static let refine = Parameter("refine", default: 1, .within(1...1_000_000), "m, the number of best individuals refined, or `\"all\"`")
    static let mode = Parameter("mode", default: Inheritance.lamarckian.rawValue, .oneOf(Inheritance.allCases.map(\.rawValue)), "or `baldwinian`")
    static let infos = [
        PartParameters.part("population", "the population method", example: #"{"optimizer": "ga", "populationSize": 6}"#),
        PartParameters.part("local", "the single-point method refining individuals", example: #"{"optimizer": "adam", "steps": 2}"#),
        steps.info, refine.info, mode.info,
    ]

    static func make(_ p: ParameterReader, _ registry: OptimizerRegistry) throws -> any WeightOptimizer {
        let populationSpec = try p.requiredPart("population", example: #"{"optimizer": "ga", "populationSize": 32}"#)
        var localSpec = try p.requiredPart("local", example: #"{"optimizer": "adam", "steps": 5}"#)
        let steps = try localSpec.takeOwnParameter("steps") { try $0.value(Self.steps) }
        let refinement: Refinement
        if case .string("all")? = p.raw("refine") {
            refinement = .all
        } else {
            refinement = .best(try p.value(refine))
        }
        let mode = try p.value(Self.mode)
        let population = try registry.populationPart(populationSpec, for: "memetic")
        let local = try registry.part(localSpec, kind: .singlePoint, for: "memetic")
        return try memetic(population, local: local, steps: steps, refinement: refinement, inheritance: Inheritance(rawValue: mode) ?? .lamarckian)
    }

    /// Opens the population method's type to build the combiner over it.
    private static func memetic<P: PopulationMethod>(
        _ population: P, local: any WeightOptimizer, steps: Int, refinement: Refinement, inheritance: Inheritance
    ) throws -> any WeightOptimizer {
        try Memetic(population: population, local: local, localSteps: steps, refinement: refinement, inheritance: inheritance)
    }
}
