import Foundation
import WeightLab

/// `weightlab bench mpi`, meant for `mpirun -np N` (any N, 1 included): what the ranks spend
/// exchanging, against what they compute.
///
/// - OpenAI-ES, 50 individuals (+ the center) on an MLP 784-32-10, 2,000 fitness samples: time
///   per generation, the share inside the exchange of loss sums (waiting for the slower rank
///   included), the same exchange timed alone, and bytes and messages per generation.
/// - Data-parallel Adam on an MLP 784-256-128-10 (235,146 weights), batches of 256 (four lanes),
///   and on the reference CNN R, batches of 128 (two lanes): time per step and the exchange of
///   lane gradients (two all-to-alls) per step.
///
/// Strong scaling is the generation or step time at -np 1 and -np 2 with `--threads 1`, against
/// one process with `--threads 2` (docs/scale-out.md gives the commands).
struct ScaleOutBenchmark {
    let repetitions: Int
    let world: any Communicator

    func run() throws {
        let meter = MeteredCommunicator(world)
        print("ranks: \(world.size)")
        try evolutionStrategy(meter)
        try dataParallelAdam(meter)
    }

    private func evolutionStrategy(_ meter: MeteredCommunicator) throws {
        let network = try Network.perceptron(inputs: 784, hidden: [32], outputs: 10)
        let objective = NetworkObjective(network: network, ranks: meter)
        var rng = RandomStream(seed: 4)
        let problem = try Problem(objective: objective, training: randomImages(2_000, rng: &rng), fitnessSamples: .fixed(size: 2_000)) { rng in
            network.initialWeights(.heNormal, rng: &rng)
        }
        let generations = 5
        let (generation, meanGeneration) = try secondsPerStep(
            OptimizerSpec(name: "openai-es", parameters: ["populationSize": .number(50)]), problem, steps: generations, meter: meter, rng: &rng)
        let exchange = meter.measured
        let runs = Double(repetitions * generations)
        let sums = [Double](repeating: 1, count: world.share(of: 51).count)
        let alone = try Stopwatch.best(of: repetitions) {
            for _ in 0..<100 { _ = try meter.allGather(sums) }
        } / 100
        print("openai-es  51 evaluations per generation, MLP 784-32-10, 2,000 samples each")
        print(String(format: "  generation %.2f ms (best; mean %.2f)   in the exchange %.3f ms (%.2f%% of the mean, waiting included)   the exchange alone %.3f ms (%.2f%% of the best)",
            generation * 1e3, meanGeneration * 1e3, exchange.seconds / runs * 1e3, exchange.seconds / runs / meanGeneration * 100, alone * 1e3, alone / generation * 100))
        print(String(format: "  per generation and rank: %.0f exchanges, %.0f bytes out, %.0f bytes in", Double(exchange.calls) / runs,
            Double(exchange.bytesOut) / runs, Double(exchange.bytesIn) / runs))
    }

    /// Data-parallel Adam on the MLP 784-256-128-10 at batch 256 and on the convolution issue's
    /// reference CNN R (`ConvolutionBenchmark.reference`) at its batch of 128.
    private func dataParallelAdam(_ meter: MeteredCommunicator) throws {
        let mlp = try Network.perceptron(inputs: 784, hidden: [256, 128], outputs: 10)
        try dataParallelAdam(mlp, name: "MLP 784-256-128-10", batch: 256, meter)
        let image = ConvolutionBenchmark.image
        let cnn = try LayerGrammar(parsing: ConvolutionBenchmark.reference(width: 1)).network(inputWidth: image.count, imageShape: image, outputs: 10)
        try dataParallelAdam(cnn, name: "CNN R", batch: 128, meter)
    }

    private func dataParallelAdam(_ network: Network, name: String, batch: Int, _ meter: MeteredCommunicator) throws {
        let objective = NetworkObjective(network: network, ranks: meter)
        var rng = RandomStream(seed: 6)
        let problem = try Problem(objective: objective, training: randomImages(10 * batch, rng: &rng), batchSize: batch) { rng in
            network.initialWeights(.heNormal, rng: &rng)
        }
        let steps = 10
        let (step, meanStep) = try secondsPerStep(OptimizerSpec(name: "adam", parameters: [:]), problem, steps: steps, meter: meter, rng: &rng)
        let exchange = meter.measured
        let runs = Double(repetitions * steps)
        print("adam  data-parallel, \(name) (\(network.parameterCount) weights), batch \(batch) in \(NetworkObjective.lanes(forRows: batch)) lanes")
        print(String(format: "  step %.2f ms (best; mean %.2f)   exchange of lane gradients %.3f ms per step (%.1f%% of the mean, waiting included)",
            step * 1e3, meanStep * 1e3, exchange.seconds / runs * 1e3, exchange.seconds / runs / meanStep * 100))
        print(String(format: "  per step and rank: %.0f exchanges, %.0f bytes out, %.0f bytes in", Double(exchange.calls) / runs,
            Double(exchange.bytesOut) / runs, Double(exchange.bytesIn) / runs))
    }

    /// Seconds per step of the optimizer `spec` on `problem`, the best and the mean of
    /// `repetitions` runs of `steps` steps (after one warm-up step), with `meter` counting only
    /// the timed steps (so its totals compare with the mean).
    private func secondsPerStep(_ spec: OptimizerSpec, _ problem: Problem, steps: Int, meter: MeteredCommunicator, rng: inout RandomStream) throws -> (best: Double, mean: Double) {
        try secondsPerStep(OptimizerRegistry.standard.make(spec), problem, steps: steps, meter: meter, rng: &rng)
    }

    /// `secondsPerStep` on the optimizer itself, its type opened from the registry's existential.
    private func secondsPerStep<Optimizer: WeightOptimizer>(
        _ optimizer: Optimizer, _ problem: Problem, steps: Int, meter: MeteredCommunicator, rng: inout RandomStream
    ) throws -> (best: Double, mean: Double) {
        var run = RunState(problem, rng: rng.split(2))
        var state = try optimizer.start(problem, from: problem.sampleWeights(&rng), run: &run)
        _ = try optimizer.step(&state, problem, run: &run)
        meter.reset()
        var best = Double.infinity
        var total = 0.0
        for _ in 0..<repetitions {
            let seconds = try Stopwatch.seconds {
                for _ in 0..<steps { _ = try optimizer.step(&state, problem, run: &run) }
            }
            best = min(best, seconds)
            total += seconds
        }
        return (best / Double(steps), total / Double(repetitions * steps))
    }
}
