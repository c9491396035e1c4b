import ArgumentParser
import WeightLab
import WeightLabBenchmarks

/// `weightlab bench`: speed figures, each reported as a ratio to a reference measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed against references measured in the same run (use a release build).",
        discussion: """
            Suites: core (network forward+backward and population evaluation against the machine's \
            sgemm rate at the same shapes), train (data loading and Adam training steps on \
            Fashion-MNIST), evolution (a GA's fitness evaluation against the compute floor), conv \
            (Adam training the reference CNN at batch 128 at three widths, and a population of 64 \
            EvoJAX ConvNets on 1,024 images; lines name the BLAS kernel, and for the machine's own \
            kernel run `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE weightlab bench conv`), all \
            (every suite but mpi); mpi (under mpirun: the exchange's share of an OpenAI-ES generation \
            and of a data-parallel Adam step, see docs/scale-out.md).
            """)

    @Argument(help: "The suite to run: core, train, evolution, conv, all or mpi.")
    var suite: String = "all"

    @Option(help: "Threads for BLAS and population evaluation (default: all cores).")
    var threads: Int?

    @Option(help: "Repetitions per measurement; the best is reported.")
    var repetitions: Int = 5

    mutating func run() throws {
        if let threads { Parallelism.setThreadCount(threads) }
        guard BenchmarkSuite.names.contains(suite) else {
            throw ValidationError("unknown suite '\(suite)'; known: \(BenchmarkSuite.names.joined(separator: ", "))")
        }
        try BenchmarkSuite.run(suite, repetitions: repetitions, world: Cluster.world)
    }
}
