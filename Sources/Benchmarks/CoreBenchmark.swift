import WeightLab

/// The network core's speed: a training pass (forward + backward) of an MLP 784-256-128-10 at
/// batch 128, and a population of 64 such networks priced on one batch of 256 samples, each
/// against `cblas_sgemm` running the same matrix shapes in the same run.
struct CoreBenchmark {
    let repetitions: Int
    let widths = [784, 256, 128, 10]

    func run() throws {
        let network = try Network.perceptron(inputs: widths[0], hidden: Array(widths[1..<3]), outputs: widths[3])
        var rng = RandomStream(seed: 1)
        let weights = network.initialWeights(.heNormal, rng: &rng)
        try training(network, weights, batch: 128, rng: &rng)
        try population(network, batch: 256, individuals: 64, rng: &rng)
        naiveLoops(batch: 128)
    }

    /// The first layer's product (batch × 784 · 784 × 256) as plain Swift loops (i-k-j order, the
    /// cache-friendly one) against sgemm on the same operands: what BLAS buys.
    private func naiveLoops(batch: Int) {
        let (k, n) = (widths[0], widths[1])
        let a = [Float](repeating: 0.5, count: batch * k)
        let b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: batch * n)
        let naive = Stopwatch.best(of: repetitions) {
            c.withUnsafeMutableBufferPointer { c in
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        for i in 0..<(batch * n) { c[i] = 0 }
                        for i in 0..<batch {
                            for p in 0..<k {
                                let scale = a[i * k + p]
                                for j in 0..<n { c[i * n + j] += scale * b[p * n + j] }
                            }
                        }
                    }
                }
            }
        }
        let blas = Stopwatch.best(of: repetitions) {
            c.withUnsafeMutableBufferPointer { c in
                BLAS.gemm(m: batch, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: c.baseAddress!, ldc: n)
            }
        }
        let flops = 2 * Double(batch * k * n)
        print("core.naive-loops  \(batch)×\(k) · \(k)×\(n), plain Swift loops against sgemm")
        print(String(format: "  loops %.1f GFLOP/s   sgemm %.1f GFLOP/s   sgemm is %.1f× faster", flops / naive * 1e-9, flops / blas * 1e-9, naive / blas))
    }

    /// FLOPs of a forward pass per sample: 2·in·out per dense layer.
    var forwardFlops: Double {
        zip(widths, widths.dropFirst()).reduce(0) { $0 + 2 * Double($1.0 * $1.1) }
    }

    /// FLOPs of forward + backward per sample: the forward, the weight gradients (as many), and
    /// the input gradients of every layer but the first.
    var trainingFlops: Double {
        let layers = Array(zip(widths, widths.dropFirst()))
        let inputGradients = layers.dropFirst().reduce(0) { $0 + 2 * Double($1.0 * $1.1) }
        return 2 * forwardFlops + inputGradients
    }

    private func training(_ network: Network, _ weights: [Float], batch: Int, rng: inout RandomStream) throws {
        let objective = NetworkObjective(network: network)
        let samples = randomImages(batch, rng: &rng)
        var gradient = [Float](repeating: 0, count: network.parameterCount)
        let steps = 50
        _ = try objective.lossAndGradient(at: weights, on: samples, into: &gradient, rng: &rng)
        let seconds = try Stopwatch.best(of: repetitions) {
            for _ in 0..<steps { _ = try objective.lossAndGradient(at: weights, on: samples, into: &gradient, rng: &rng) }
        }
        let reference = sgemmSeconds(batch: batch, backward: true, steps: steps)
        let rate = Double(batch * steps) / seconds
        let gflops = rate * trainingFlops * 1e-9
        let sgemm = Double(batch * steps) * trainingFlops * 1e-9 / reference
        print("core.training  MLP \(widths.map(String.init).joined(separator: "-")), batch \(batch), forward+backward")
        print(String(format: "  %.0f samples/s  %.1f GFLOP/s   sgemm at the same shapes %.1f GFLOP/s   ratio %.2f", rate, gflops, sgemm, gflops / sgemm))
    }

    private func population(_ network: Network, batch: Int, individuals: Int, rng: inout RandomStream) throws {
        let objective = NetworkObjective(network: network)
        let samples = randomImages(batch, rng: &rng)
        var population = PopulationMatrix(count: individuals, dimension: network.parameterCount)
        for i in 0..<individuals { population.setRow(i, network.initialWeights(.heNormal, rng: &rng)) }
        var losses = [Float]()
        try objective.losses(of: population, on: samples, into: &losses)
        let seconds = try Stopwatch.best(of: repetitions) {
            try objective.losses(of: population, on: samples, into: &losses)
        }
        let reference = sgemmSeconds(batch: batch, backward: false, steps: individuals)
        let rate = Double(batch * individuals) / seconds
        let gflops = rate * forwardFlops * 1e-9
        let sgemm = Double(batch * individuals) * forwardFlops * 1e-9 / reference
        print("core.population  \(individuals) networks × \(batch) samples, forward")
        print(String(format: "  %.0f individual-samples/s  %.1f GFLOP/s   sgemm at the same shapes %.1f GFLOP/s   ratio %.2f", rate, gflops, sgemm, gflops / sgemm))
    }

    /// Seconds for `steps` repetitions of exactly the sgemm calls a pass makes (forward, and for
    /// training the weight and input gradients), on all BLAS threads.
    func sgemmSeconds(batch: Int, backward: Bool, steps: Int) -> Double {
        let layers = Array(zip(widths, widths.dropFirst()))
        let largest = widths.max()! * max(batch, widths.max()!)
        let a = [Float](repeating: 0.5, count: largest)
        let b = [Float](repeating: 0.25, count: largest)
        var c = [Float](repeating: 0, count: largest)
        return Stopwatch.best(of: repetitions) {
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        let (pa, pb, pc) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                        for _ in 0..<steps {
                            for (index, (i, o)) in layers.enumerated() {
                                BLAS.gemm(m: batch, n: o, k: i, a: pa, lda: i, b: pb, ldb: o, c: pc, ldc: o)
                                guard backward else { continue }
                                BLAS.gemm(transposeA: true, m: i, n: o, k: batch, a: pa, lda: i, b: pb, ldb: o, beta: 1, c: pc, ldc: o)
                                if index > 0 {
                                    BLAS.gemm(transposeB: true, m: batch, n: i, k: o, a: pa, lda: o, b: pb, ldb: o, c: pc, ldc: i)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
