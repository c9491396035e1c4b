import Foundation
import Testing
import WeightLabCore
@testable import WeightLabGradient

/// Measurements, not checks: run with `WEIGHTLAB_BENCHMARK=1` in a release build
/// (`swift build -c release --build-tests -Xswiftc -enable-testing`, then
/// `WEIGHTLAB_BENCHMARK=1 .build/release/WeightLabPackageTests.xctest --testing-library
/// swift-testing --filter UpdateBenchmarks`). The allocation count needs a preloaded library
/// exporting `long weightlab_malloc_count(void)` that counts malloc/calloc/realloc calls
/// (`LD_PRELOAD=...`); without it that line says so.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["WEIGHTLAB_BENCHMARK"] != nil))
struct UpdateBenchmarks {
    /// Best time of one update of the 235,146 weights of a 784-256-128-10 network, on one
    /// thread and on all.
    func timeUpdate<O: FirstOrderOptimizer>(_ optimizer: O) {
        for threads in Set([1, Parallelism.threadCount]).sorted() {
            Parallelism.withThreadCount(threads) { timeUpdate(optimizer, threads: threads) }
        }
    }

    func timeUpdate<O: FirstOrderOptimizer>(_ optimizer: O, threads: Int) {
        let n = 235_146
        var source = RandomStream(seed: 9)
        let fresh = (0..<n).map { _ in 0.01 * source.normal() }
        var weights = (0..<n).map { _ in 0.1 * source.normal() }
        var gradient = fresh
        var buffers = optimizer.rule.makeBuffers(dimension: n)
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000)
        var t = 0
        for _ in 0..<15 {
            best = min(best, clock.measure {
                for _ in 0..<20 {
                    t += 1
                    weights.withUnsafeMutableBufferPointer { w in
                        gradient.withUnsafeMutableBufferPointer { g in
                            fresh.withUnsafeBufferPointer { g.baseAddress!.update(from: $0.baseAddress!, count: n) }
                            optimizer.settings.weightDecay.apply(weights: w, gradient: g, rate: optimizer.settings.learningRate)
                            optimizer.rule.update(weights: w, gradient: g, buffers: &buffers, learningRate: optimizer.settings.learningRate, step: t)
                        }
                    }
                }
            } / 20)
        }
        print("update \(optimizer.name), \(threads) thread(s): \(best) per step of \(n) weights (including a \(n)-float gradient copy)")
    }

    @Test func updateTimes() throws {
        timeUpdate(try SGD())
        timeUpdate(try SGD(momentum: 0.9, nesterov: true, weightDecay: 1e-4))
        timeUpdate(try AdaGrad())
        timeUpdate(try RMSprop(momentum: 0.5, centered: true))
        timeUpdate(try Adam())
        timeUpdate(try AdamW(amsgrad: true))
    }

    typealias Counter = @convention(c) () -> Int

    /// Heap allocations per step after 50 warm-up steps, over 200 steps: every rule on a
    /// 2-64-64-2 network in batches of 32 (one lane, updates on one thread), and Adam and
    /// Nesterov on a 784-256-128-10 network in batches of 128 (two gradient lanes, the update
    /// split into blocks across threads), and Adam on a small CNN with dropout and augmented
    /// batches of 128.
    @Test func allocationsPerStep() throws {
        guard let symbol = dlsym(nil, "weightlab_malloc_count") else {
            print("allocations: not measured (no weightlab_malloc_count preloaded)")
            return
        }
        let count = unsafeBitCast(symbol, to: Counter.self)
        var data = RandomStream(seed: 42)
        let moons = TinyData.moons(count: 512, noise: 0.1, rng: &data)
        let images = Samples(
            features: (0..<(1_024 * 784)).map { _ in data.uniform() }, featureCount: 784,
            labels: (0..<1_024).map { _ in Int32(data.index(below: 10)) })
        func measure<O: WeightOptimizer>(_ optimizer: O, _ network: Network, _ training: Samples, batchSize: Int, augmentation: TrainingAugmentation? = nil) throws {
            let problem = try Problem(objective: NetworkObjective(network: network), training: training, batchSize: batchSize, augmentation: augmentation) { _ in [] }
            var rng = RunState(rng: RandomStream(seed: 3))
            var state = try optimizer.start(problem, from: network.initialWeights(.heNormal, rng: &rng.rng), run: &rng)
            for _ in 0..<50 { _ = try optimizer.step(&state, problem, run: &rng) }
            let before = count()
            for _ in 0..<200 { _ = try optimizer.step(&state, problem, run: &rng) }
            print("allocations \(optimizer.name), \(network.parameterCount) weights, batch \(batchSize): \(Double(count() - before) / 200) per step")
        }
        let small = try Network.perceptron(inputs: 2, hidden: [64, 64], outputs: 2)
        try measure(Adam(), small, moons, batchSize: 32)
        try measure(AdamW(amsgrad: true, schedule: .cosine(period: 100, minimum: 0)), small, moons, batchSize: 32)
        try measure(SGD(momentum: 0.9, nesterov: true, weightDecay: 1e-4), small, moons, batchSize: 32)
        try measure(RMSprop(momentum: 0.5, centered: true), small, moons, batchSize: 32)
        try measure(AdaGrad(schedule: .reduceOnPlateau(ReduceOnPlateau())), small, moons, batchSize: 32)
        let large = try Network.perceptron(inputs: 784, hidden: [256, 128], outputs: 10)
        try measure(Adam(), large, images, batchSize: 128)
        try measure(SGD(momentum: 0.9, nesterov: true, weightDecay: 1e-4), large, images, batchSize: 128)
        let image = ImageShape(height: 28, width: 28, channels: 1)
        let cnn = try LayerGrammar(parsing: "conv(8, 3, padding: 1), relu, maxpool(2), conv(16, 3, padding: 1), relu, maxpool(2), dropout(0.2), dense(32), relu")
            .network(inputWidth: 784, imageShape: image, outputs: 10)
        try measure(Adam(), cnn, images, batchSize: 128, augmentation: TrainingAugmentation(try Augmentation(parsing: "crop(2), flip, erase(0.5)"), shape: image))
    }
}
