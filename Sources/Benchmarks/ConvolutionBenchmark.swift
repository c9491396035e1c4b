import Foundation
import WeightLab

/// Convolutional networks' speed, every figure beside sgemm running the same products in the
/// same run: Adam training the reference CNN R at batch 128 (also at half and double width, to
/// show cost growing with FLOPs), and a population of 64 copies of EvoJAX's ConvNet E priced on
/// 1,024 images against the compute floor (E's forward products at the sgemm rate).
/// Every line names the BLAS kernel (OPENBLAS_CORETYPE may pin an older one).
struct ConvolutionBenchmark {
    let repetitions: Int

    /// R at `width` times its filters and units: conv(32w, 3, padding: 1), relu, maxpool(2),
    /// conv(64w, 3, padding: 1), relu, maxpool(2), dense(128w), relu.
    static func reference(width: Double) -> String {
        let (a, b, c) = (Int(32 * width), Int(64 * width), Int(128 * width))
        return "conv(\(a), 3, padding: 1), relu, maxpool(2), conv(\(b), 3, padding: 1), relu, maxpool(2), dense(\(c)), relu"
    }
    static let evojax = "conv(8, 5, padding: same), relu, maxpool(2), conv(16, 5, padding: same), relu, maxpool(2)"
    static let image = ImageShape(height: 28, width: 28, channels: 1)

    func run() throws {
        let kernel = BLAS.kernel
        let tag = "[blas \(kernel.core)]"
        print("conv  BLAS kernel \(kernel.core) (\(kernel.configuration)); OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset")")
        var rng = RandomStream(seed: 3)
        let training = FileManager.default.fileExists(atPath: Dataset.fashionMNISTDirectory) ? try Dataset.fashionMNIST().train : randomImages(60_000, rng: &rng)
        var perSample: [(width: Double, seconds: Double, flops: Double)] = []
        for width in [1.0, 0.5, 2.0] {
            let network = try network(Self.reference(width: width), outputs: 10)
            let (rate, gflops, sgemm) = try train(network, on: training)
            perSample.append((width, 1 / rate, gflops * 1e9 / rate))
            print("conv.train  R×\(width) (\(network.parameterCount) weights), batch 128, Adam steps (gather + forward + backward + update) \(tag)")
            print(String(format: "  %.0f samples/s  %.1f GFLOP/s   sgemm at the same shapes %.1f GFLOP/s   ratio %.2f", rate, gflops, sgemm, gflops / sgemm) + "  " + tag)
        }
        let base = perSample[0]
        for entry in perSample.dropFirst() {
            print(String(format: "conv.growth  R×%.1f: %.2f× the FLOPs per sample of R, %.2f× the time per sample", entry.width, entry.flops / base.flops, entry.seconds / base.seconds) + "  " + tag)
        }
        try population(on: training.subset(0..<1024), tag: tag)
    }

    private func network(_ layers: String, outputs: Int) throws -> Network {
        try LayerGrammar(parsing: layers).network(inputWidth: Self.image.count, imageShape: Self.image, outputs: outputs)
    }

    /// Samples per second of Adam steps at batch 128, their GFLOP/s, and sgemm's at the same shapes.
    private func train(_ network: Network, on training: Samples) throws -> (Double, Double, Double) {
        let problem = try Problem(objective: NetworkObjective(network: network), training: training, batchSize: 128) { rng in
            network.initialWeights(.heNormal, rng: &rng)
        }
        let adam = try Adam(learningRate: 0.001)
        var rng = RandomStream(seed: 1)
        var run = RunState(problem, rng: rng.split(2))
        var state = try adam.start(problem, from: problem.sampleWeights(&rng), run: &run)
        for _ in 0..<5 { _ = try adam.step(&state, problem, run: &run) }
        let steps = 40
        let seconds = try Stopwatch.best(of: repetitions) {
            for _ in 0..<steps { _ = try adam.step(&state, problem, run: &run) }
        }
        let products = Products(network, batch: 128, backward: true)
        let rate = Double(steps * 128) / seconds
        return (rate, rate * products.flops / 128 * 1e-9, products.flops * 1e-9 / products.seconds(repetitions: repetitions))
    }

    private func population(on images: Samples, tag: String) throws {
        let network = try network(Self.evojax, outputs: 10)
        let objective = NetworkObjective(network: network)
        var rng = RandomStream(seed: 2)
        var population = PopulationMatrix(count: 64, dimension: network.parameterCount)
        for i in 0..<64 { population.setRow(i, network.initialWeights(.heNormal, rng: &rng)) }
        var losses = [Float]()
        try objective.losses(of: population, on: images, into: &losses)
        let seconds = try Stopwatch.best(of: repetitions) { try objective.losses(of: population, on: images, into: &losses) } / 64
        let products = Products(network, batch: images.count, backward: false)
        let floor = products.seconds(repetitions: repetitions)
        print("conv.population  64 × E (\(network.parameterCount) weights) on \(images.count) images, forward \(tag)")
        print(String(format: "  %.3f ms per evaluation (%.0f individual-images/s)   compute floor %.3f ms (%.2f MFLOP per image at the sgemm rate)   ratio %.2f",
                     seconds * 1e3, Double(images.count) / seconds, floor * 1e3, products.flops / Double(images.count) * 1e-6, seconds / floor) + "  " + tag)
    }
}

/// The matrix products one pass of a network makes (dense and convolution layers: forward, and
/// for training the weight and input gradients), their FLOPs, and sgemm's time for them.
private struct Products {
    var shapes: [(m: Int, n: Int, k: Int)] = []

    init(_ network: Network, batch: Int, backward: Bool) {
        for (index, layout) in network.layouts.enumerated() {
            let (m, n, k): (Int, Int, Int)
            switch layout.layer {
            case .dense: (m, n, k) = (batch, layout.outputWidth, layout.inputWidth)
            case .convolution(let c):
                let positions = layout.outputShape?.positions ?? 1
                (m, n, k) = (batch * positions, c.filters, c.kernelHeight * c.kernelWidth * (layout.inputShape?.channels ?? 1))
            default: continue
            }
            shapes.append((m, n, k))
            guard backward else { continue }
            shapes.append((k, n, m))
            if index > 0 { shapes.append((m, k, n)) }
        }
    }

    var flops: Double { shapes.reduce(0) { $0 + 2 * Double($1.m * $1.n * $1.k) } }

    /// The best of `repetitions` runs of all the products, on all BLAS threads.
    func seconds(repetitions: Int) -> Double {
        let largest = shapes.reduce(1) { max($0, $1.m * $1.k, $1.k * $1.n, $1.m * $1.n) }
        let a = [Float](repeating: 0.5, count: largest)
        let b = [Float](repeating: 0.25, count: largest)
        var c = [Float](repeating: 0, count: largest)
        return Stopwatch.best(of: repetitions) {
            c.withUnsafeMutableBufferPointer { c in
                for (m, n, k) in shapes { BLAS.gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c.baseAddress!, ldc: n) }
            }
        }
    }
}
