import Testing
import WeightLab

/// Every registered optimizer, run by the run loop on a box that excludes the function's
/// minimum, hands over a point inside the box.
@Suite struct SearchBoxContractTests {
    /// Specifications with parts or budgets sized for this run; every other name runs as the
    /// contract suite builds it from its declarations.
    static let specifications: [String: String] = [
        "sequential": #"{"optimizer": "sequential", "parts": [{"optimizer": "ga", "until": {"steps": 5}}, {"optimizer": "adam"}]}"#,
        "memetic": #"{"optimizer": "memetic", "population": {"optimizer": "ga", "populationSize": 8}, "local": {"optimizer": "adam", "steps": 3}}"#,
        "esgd": #"{"optimizer": "esgd", "trainers": [{"optimizer": "adam"}], "populationSize": 4, "interval": 5}"#,
        "pbt": #"{"optimizer": "pbt", "trainer": {"optimizer": "adam"}, "hyperparameters": ["learningRate"], "populationSize": 4, "interval": 5}"#,
        "portfolio": #"{"optimizer": "portfolio", "budget": 4000, "parts": [{"optimizer": "adam"}, {"optimizer": "cma-es"}]}"#,
        "ipop": #"{"optimizer": "ipop", "inner": {"optimizer": "cma-es"}}"#,
    ]
    /// Needs a network (it reparameterizes the first layer).
    static let networkOnly: Set<String> = ["principal-subspace"]

    @Test func everyRegisteredOptimizerHandsOverAPointInsideTheBox() throws {
        let box = try SearchBox(low: 1, high: 3, dimension: 3)
        for name in OptimizerRegistry.standard.names where !Self.networkOnly.contains(name) {
            let spec = try Self.specifications[name].map { try OptimizerSpec(parsing: $0) } ?? OptimizerContractTests.specification(name)
            let optimizer = AnyWeightOptimizer(try OptimizerRegistry.standard.make(spec))
            let f = try AnalyticFunction(.sphere, dimension: 3)
            let problem = try Problem(function: f, box: box)
            let configuration = RunConfiguration(stopping: [.steps(30), .costUnits(4000)], recording: .everyStep, seed: 5)
            let result = try Trainer(optimizer, on: problem, configuration: configuration).run()
            #expect(box.contains(result.weights), "\(name) hands over \(result.weights), outside [1, 3]³")
            #expect(try f.loss(at: result.weights, on: .empty) < 27, "\(name) ends at the worst corner or beyond")
        }
    }
}
