import Foundation
import WeightLab

/// Population methods' speed: a GA with 50 individuals on an MLP 784-32-10 (25,450 weights),
/// each priced on 2,000 Fashion-MNIST training images (random data of that shape when the set
/// is not installed). Reports milliseconds per fitness evaluation against the compute floor
/// (the evaluation's FLOPs at the sgemm rate measured in the same run, on every core), and the
/// share of a generation spent outside evaluation (selection, crossover, mutation).
struct EvolutionBenchmark {
    let repetitions: Int
    let individuals = 50
    let samples = 2_000

    func run() throws {
        let network = try Network.perceptron(inputs: 784, hidden: [32], outputs: 10)
        let objective = NetworkObjective(network: network)
        let training = try fitnessSamples()
        let problem = try Problem(objective: objective, training: training, fitnessSamples: .fixed(size: samples)) { rng in
            network.initialWeights(.heNormal, rng: &rng)
        }
        let ga = try OptimizerRegistry.standard.make(OptimizerSpec(name: "ga", parameters: ["populationSize": .number(Double(individuals))]))
        var rng = RandomStream(seed: 5)
        let generations = 10
        let generation = try secondsPerGeneration(ga, problem, generations: generations, rng: &rng)

        var population = PopulationMatrix(count: individuals, dimension: network.parameterCount)
        for i in 0..<individuals { population.setRow(i, network.initialWeights(.heNormal, rng: &rng)) }
        var losses = [Float]()
        let batch = problem.fitnessBatch(rng: &rng)
        let evaluation = try Stopwatch.best(of: repetitions) {
            for _ in 0..<generations { try objective.losses(of: population, on: batch, into: &losses) }
        } / Double(generations * individuals)

        let flops = 2.0 * Double(samples) * Double(784 * 32 + 32 * 10)
        let floor = flops / sgemmRate(rows: samples)
        print("evolution.ga  population \(individuals), MLP 784-32-10, \(samples) samples per individual")
        print(String(format: "  %.3f ms per evaluation   compute floor %.3f ms (%.1f MFLOP at the measured sgemm rate)   ratio %.2f", evaluation * 1e3, floor * 1e3, flops * 1e-6, evaluation / floor))
        print(String(format: "  generation %.1f ms, of which operators %.1f%%", generation * 1e3, max(0, 1 - Double(individuals) * evaluation / generation) * 100))
    }

    /// The best of `repetitions` timings of `generations` generations, per generation (after one
    /// warm-up generation), on the optimizer itself: its type is opened from the registry's existential.
    private func secondsPerGeneration<Optimizer: WeightOptimizer>(
        _ optimizer: Optimizer, _ problem: Problem, generations: Int, rng: inout RandomStream
    ) throws -> Double {
        var run = RunState(problem, rng: rng.split(2))
        var state = try optimizer.start(problem, from: problem.sampleWeights(&rng), run: &run)
        _ = try optimizer.step(&state, problem, run: &run)
        return try Stopwatch.best(of: repetitions) {
            for _ in 0..<generations { _ = try optimizer.step(&state, problem, run: &run) }
        } / Double(generations)
    }

    /// FLOP/s of sgemm at the shape of the population's first layer (samples × 784 × 50·32), all threads.
    private func sgemmRate(rows: Int) -> Double {
        let (k, n) = (784, individuals * 32)
        let a = [Float](repeating: 0.5, count: rows * k)
        let b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: rows * n)
        let seconds = Stopwatch.best(of: repetitions) {
            c.withUnsafeMutableBufferPointer { c in
                BLAS.gemm(m: rows, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c.baseAddress!, ldc: n)
            }
        }
        return 2 * Double(rows * k * n) / seconds
    }

    private func fitnessSamples() throws -> Samples {
        if FileManager.default.fileExists(atPath: Dataset.fashionMNISTDirectory) {
            return try Dataset.fashionMNIST().train.subset(0..<samples)
        }
        var rng = RandomStream(seed: 4)
        return randomImages(samples, rng: &rng)
    }
}
