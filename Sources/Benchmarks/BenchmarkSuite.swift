import WeightLab

/// WeightLab's speed figures, each printed beside a reference measured in the same run (the
/// machine's sgemm rate at the same shapes, or a compute floor). `weightlab bench` and
/// `make bench` run them; measure in a release build on an otherwise idle machine.
public enum BenchmarkSuite {
    /// The suites: core (network passes and population evaluation), train (loading and Adam
    /// steps on Fashion-MNIST), evolution (a GA's generation), all.
    public static let names = ["core", "train", "evolution", "all"]

    /// Runs `suite`, taking the best of `repetitions` for each measurement.
    public static func run(_ suite: String, repetitions: Int) throws {
        guard names.contains(suite) else {
            throw WeightLabError(.parameter, "unknown suite '\(suite)'; known: \(names.joined(separator: ", "))")
        }
        print("threads: \(Parallelism.threadCount)")
        if suite == "core" || suite == "all" { try CoreBenchmark(repetitions: repetitions).run() }
        if suite == "train" || suite == "all" { try TrainingBenchmark(repetitions: repetitions).run() }
        if suite == "evolution" || suite == "all" { try EvolutionBenchmark(repetitions: repetitions).run() }
    }
}
