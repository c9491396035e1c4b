import Foundation
import WeightLab

/// End-to-end training speed: Adam (lr 1e-3) on an MLP 784-256-128-10 at batch 128 over
/// Fashion-MNIST (random data of the same shape when the data set is not installed), timed
/// over the optimizer's steps alone, against sgemm running the same shapes in the same run.
/// Also times loading full Fashion-MNIST from its gzipped files.
struct TrainingBenchmark {
    let repetitions: Int

    func run() throws {
        let directory = Dataset.fashionMNISTDirectory
        let training: Samples
        if FileManager.default.fileExists(atPath: directory) {
            var data: Dataset?
            let load = try Stopwatch.best(of: max(1, repetitions / 2)) { data = try Dataset.fashionMNIST() }
            print(String(format: "data.fashion-mnist  load 70,000 images from gzip: %.2f s", load))
            training = data?.train ?? .empty
        } else {
            print("data.fashion-mnist  not installed (apt-get install dataset-fashion-mnist); training on random data of its shape")
            var rng = RandomStream(seed: 3)
            training = randomImages(60_000, rng: &rng)
        }
        let network = try Network.perceptron(inputs: 784, hidden: [256, 128], outputs: 10)
        let objective = NetworkObjective(network: network)
        let problem = try Problem(objective: objective, training: training, batchSize: 128) { rng in
            network.initialWeights(.heNormal, rng: &rng)
        }
        let adam = try Adam(learningRate: 0.001)
        var rng = RandomStream(seed: 1)
        var run = RunState(problem, rng: rng.split(2))
        var state = try adam.start(problem, from: problem.sampleWeights(&rng), run: &run)
        let steps = 469  // one epoch
        for _ in 0..<20 { _ = try adam.step(&state, problem, run: &run) }
        let seconds = try Stopwatch.best(of: repetitions) {
            for _ in 0..<steps { _ = try adam.step(&state, problem, run: &run) }
        }
        let rate = Double(steps * 128) / seconds
        let flops = CoreBenchmark(repetitions: repetitions)
        let gflops = rate * flops.trainingFlops * 1e-9
        let sgemm = Double(steps * 128) * flops.trainingFlops * 1e-9 / flops.sgemmSeconds(batch: 128, backward: true, steps: steps)
        print("train.adam  MLP 784-256-128-10, batch 128, Adam steps (batch gather + forward + backward + update)")
        print(String(format: "  %.0f samples/s (%.2f s per epoch)  %.1f GFLOP/s   sgemm at the same shapes %.1f GFLOP/s   ratio %.2f", rate, 60_000 / rate, gflops, sgemm, gflops / sgemm))
    }
}
