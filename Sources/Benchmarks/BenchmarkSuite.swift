import WeightLab

/// WeightLab's speed figures, each printed beside a reference measured in the same run (the
/// machine's sgemm rate at the same shapes, or a compute floor). `weightlab bench` and
/// `make bench` run them; measure in a release build on an otherwise idle machine.
public enum BenchmarkSuite {
    /// The suites: core (network passes and population evaluation), train (loading and Adam
    /// steps on Fashion-MNIST), evolution (a GA's generation), conv (convolutional passes and
    /// population evaluation), all of these, and mpi (the exchange across `world`'s ranks,
    /// meant for `mpirun`; not part of all).
    public static let names = ["core", "train", "evolution", "conv", "all", "mpi"]

    /// Runs `suite`, taking the best of `repetitions` for each measurement; `world` is the
    /// ranks the mpi suite spreads its work over.
    public static func run(_ suite: String, repetitions: Int, world: any Communicator) throws {
        guard names.contains(suite) else {
            throw WeightLabError(.parameter, "unknown suite '\(suite)'; known: \(names.joined(separator: ", "))")
        }
        print("threads: \(Parallelism.threadCount)")
        if suite == "core" || suite == "all" { try CoreBenchmark(repetitions: repetitions).run() }
        if suite == "train" || suite == "all" { try TrainingBenchmark(repetitions: repetitions).run() }
        if suite == "evolution" || suite == "all" { try EvolutionBenchmark(repetitions: repetitions).run() }
        if suite == "conv" || suite == "all" { try ConvolutionBenchmark(repetitions: repetitions).run() }
        if suite == "mpi" { try ScaleOutBenchmark(repetitions: repetitions, world: world).run() }
    }
}
