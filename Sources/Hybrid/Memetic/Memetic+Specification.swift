import WeightLabCore
import WeightLabEvolutionary

/// Builds a `Memetic` from `{"population": SPEC, "local": SPEC with "steps": k, "refine": m or
/// "all", "mode": "lamarckian" or "baldwinian"}`.
enum MemeticSpecification {
    static func make(_ p: ParameterReader, _ registry: OptimizerRegistry) throws -> any WeightOptimizer {
        let populationSpec = try p.requiredPart("population", example: #"{"optimizer": "ga", "populationSize": 32}"#)
        var localSpec = try p.requiredPart("local", example: #"{"optimizer": "adam", "steps": 5}"#)
        let steps = try localSpec.takeOwnParameter("steps") { try $0.int("steps", default: 5, in: 1...1_000_000) }
        let refinement: Refinement
        if case .string("all")? = p.raw("refine") {
            refinement = .all
        } else {
            refinement = .best(try p.int("refine", default: 1, in: 1...1_000_000))
        }
        let mode = try p.choice("mode", default: Inheritance.lamarckian.rawValue, from: Inheritance.allCases.map(\.rawValue))
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
