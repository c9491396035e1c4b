import Foundation
import Testing
@testable import WeightLabCore

@Suite struct AugmentationTests {
    let shape = ImageShape(height: 5, width: 4, channels: 2)

    /// Distinct values, so any misplaced pixel shows.
    func image() -> [Float] { (0..<shape.count).map { Float($0 + 1) } }

    func pixel(_ x: [Float], _ i: Int, _ j: Int, _ c: Int) -> Float {
        guard i >= 0, i < shape.height, j >= 0, j < shape.width else { return 0 }
        return x[(i * shape.width + j) * shape.channels + c]
    }

    func shifted(_ x: [Float], down: Int, right: Int) -> [Float] {
        var y = x
        y.withUnsafeMutableBufferPointer { Augmentation.shift($0.baseAddress!, shape: shape, down: down, right: right) }
        return y
    }

    @Test func parsesThePipeline() throws {
        #expect(try Augmentation(parsing: "crop(4), flip, erase(0.5), translate(0.1)").transforms == [.crop(padding: 4), .flip, .erase(probability: 0.5), .translate(fraction: 0.1)])
        expectError(mentioning: ["--augment item 2, 'flop'", "unknown transform 'flop'", "known: crop(padding), flip"]) { try Augmentation(parsing: "crop(2), flop") }
        expectError(mentioning: ["--augment item 1, 'crop(-1)'"]) { try Augmentation(parsing: "crop(-1)") }
        expectError(mentioning: ["erase probability"]) { try Augmentation(parsing: "erase(2)") }
    }

    @Test func aShiftMovesEveryPixelAndFillsWithZeros() {
        let x = image()
        for (down, right) in [(0, 0), (1, 0), (-2, 1), (2, -3), (0, -1), (5, 0), (0, 4)] {
            let y = shifted(x, down: down, right: right)
            for i in 0..<shape.height {
                for j in 0..<shape.width {
                    for c in 0..<shape.channels { #expect(pixel(y, i, j, c) == pixel(x, i - down, j - right, c), "shift (\(down), \(right)) at \(i), \(j), \(c)") }
                }
            }
        }
    }

    /// A crop of the zero-padded image is the image shifted by at most the padding, zeros coming in.
    @Test func aCropIsTheImageShiftedWithZeros() throws {
        let x = image()
        let crop = try Augmentation([.crop(padding: 2)])
        var rng = RandomStream(seed: 5)
        var seen = Set<[Int]>()
        for _ in 0..<40 {
            var batch = Samples(features: x, featureCount: shape.count, labels: [0])
            crop.apply(to: &batch, shape: shape, rng: &rng)
            let shifts = (-2...2).flatMap { dy in (-2...2).map { dx in [dy, dx] } }.filter { shifted(x, down: $0[0], right: $0[1]) == batch.features }
            #expect(shifts.count == 1, "a crop must equal exactly one shift within the padding")
            if let shift = shifts.first { seen.insert(shift) }
        }
        #expect(seen.count > 10, "crops must draw many offsets")
    }

    @Test func aFlipTwiceIsTheIdentity() {
        let x = image()
        var y = x
        y.withUnsafeMutableBufferPointer { Augmentation.mirror($0.baseAddress!, shape: shape) }
        #expect(y != x)
        for i in 0..<shape.height {
            for j in 0..<shape.width { for c in 0..<2 { #expect(pixel(y, i, j, c) == pixel(x, i, shape.width - 1 - j, c)) } }
        }
        y.withUnsafeMutableBufferPointer { Augmentation.mirror($0.baseAddress!, shape: shape) }
        #expect(y == x)
    }

    @Test func erasingZeroesOneRectangle() throws {
        let x = image()
        var batch = Samples(features: x, featureCount: shape.count, labels: [0])
        var rng = RandomStream(seed: 1)
        try Augmentation([.erase(probability: 1)]).apply(to: &batch, shape: shape, rng: &rng)
        let zeroed = (0..<shape.positions).filter { batch.features[$0 * 2] == 0 }
        #expect(!zeroed.isEmpty && zeroed.count < shape.positions)
        for p in zeroed { #expect(batch.features[p * 2 + 1] == 0, "every channel of an erased pixel is zero") }
        let rows = Set(zeroed.map { $0 / shape.width })
        let columns = Set(zeroed.map { $0 % shape.width })
        #expect(rows.count * columns.count == zeroed.count, "the erased pixels form a rectangle")
        #expect(zip(batch.features, x).allSatisfy { $0 == 0 || $0 == $1 })
    }

    func imageProblem(augmentation: TrainingAugmentation?, seed: UInt64 = 11) throws -> Problem {
        let training = randomClassification(count: 30, features: shape.count, classes: 3, seed: 3)
        let network = try Network(inputWidth: shape.count, layers: [.convolution(Convolution(filters: 2, kernel: 3, padding: .same)), .activation(.relu), .dense(units: 3)], imageShape: shape)
        return try Problem(
            objective: NetworkObjective(network: network), training: training, batchSize: 8, fitnessSamples: .fixed(size: 10),
            rng: RandomStream(seed: seed), augmentation: augmentation) { rng in network.initialWeights(.heNormal, rng: &rng) }
    }

    @Test func theSameSeedGivesTheSameBatchesAndTheDataStayUntouched() throws {
        let pipeline = TrainingAugmentation(try Augmentation(parsing: "crop(1), flip, erase(0.5)"), shape: shape)
        let a = try imageProblem(augmentation: pipeline)
        let b = try imageProblem(augmentation: pipeline)
        let plain = try imageProblem(augmentation: nil)
        let original = a.training
        var runA = RunState(a, rng: RandomStream(seed: 1))
        var runB = RunState(b, rng: RandomStream(seed: 1))
        var runPlain = RunState(plain, rng: RandomStream(seed: 1))
        var differs = false
        for _ in 0..<10 {
            let batch = runA.nextBatch(of: a)
            #expect(batch == runB.nextBatch(of: b))
            if batch != runPlain.nextBatch(of: plain) { differs = true }
        }
        #expect(differs, "augmentation changes the batches")
        #expect(a.training == original, "the training set itself is never changed")
        var rng = RandomStream(seed: 2)
        var plainRNG = RandomStream(seed: 2)
        #expect(a.fitnessBatch(rng: &rng) == plain.fitnessBatch(rng: &plainRNG), "fitness batches are not augmented unless asked")
        #expect(a.fullBatch == original)
    }

    @Test func fitnessBatchesAreAugmentedWhenAsked() throws {
        var pipeline = TrainingAugmentation(try Augmentation(parsing: "crop(1)"), shape: shape)
        pipeline.appliesToFitness = true
        let a = try imageProblem(augmentation: pipeline)
        let plain = try imageProblem(augmentation: nil)
        var rng = RandomStream(seed: 2)
        var plainRNG = RandomStream(seed: 2)
        #expect(a.fitnessBatch(rng: &rng) != plain.fitnessBatch(rng: &plainRNG))
        #expect(a.training == plain.training)
    }

    @Test func evaluationDataAreNeverAugmented() throws {
        let problem = try imageProblem(augmentation: TrainingAugmentation(try Augmentation(parsing: "crop(2), flip"), shape: shape))
        let held = randomClassification(count: 12, features: shape.count, classes: 3, seed: 8)
        let sgd = MomentumSGD(learningRate: 0.05, momentum: 0.9)
        let result = try Trainer(sgd, on: problem, configuration: RunConfiguration(stopping: [.steps(6)], recording: .steps(2), validation: held, seed: 1)).run()
        let objective = problem.objective as! NetworkObjective
        // The recorded validation loss is that of the untouched samples.
        let evaluation = try objective.evaluate(result.weights, on: held)
        #expect(result.trace.rows.last?.validationLoss == evaluation.loss)
        #expect(held == randomClassification(count: 12, features: shape.count, classes: 3, seed: 8))
    }

    @Test func aShapeThatDoesNotFitTheDataIsAnError() throws {
        let training = randomClassification(count: 4, features: 7, classes: 2, seed: 1)
        let network = try Network.perceptron(inputs: 7, hidden: [], outputs: 2)
        expectError(mentioning: ["augmentation", "5×4×2", "40 features", "7"]) {
            try Problem(objective: NetworkObjective(network: network), training: training, batchSize: 2,
                        augmentation: TrainingAugmentation(try Augmentation(parsing: "flip"), shape: shape)) { _ in [] }
        }
    }

    /// Killed after 7 steps (its last checkpoint at step 6) and resumed, a CNN run with
    /// augmentation ends on the same weights, bit for bit, as the run left alone: the batches'
    /// transforms come from the mini-batch order's stream, which the checkpoint holds.
    @Test func aResumedRunWithAugmentationEndsOnTheSameBits() throws {
        let pipeline = TrainingAugmentation(try Augmentation(parsing: "crop(1), flip, erase(0.5)"), shape: shape)
        let sgd = MomentumSGD(learningRate: 0.05, momentum: 0.9)
        let configuration = { (steps: Int, checkpoint: CheckpointPolicy?) in
            RunConfiguration(stopping: [.steps(steps)], recording: .steps(2), checkpoint: checkpoint, seed: 3)
        }
        let straight = try Trainer(sgd, on: imageProblem(augmentation: pipeline), configuration: configuration(14, nil)).run()
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cnn.json")
        _ = try Trainer(sgd, on: imageProblem(augmentation: pipeline), configuration: configuration(7, CheckpointPolicy(url: file, everySteps: 3))).run()
        let resumed = try Trainer(sgd, on: imageProblem(augmentation: pipeline), configuration: configuration(14, nil)).resume(from: file)
        #expect(resumed.steps == 14)
        #expect(resumed.weights.map(\.bitPattern) == straight.weights.map(\.bitPattern))
        let plain = try Trainer(sgd, on: imageProblem(augmentation: nil), configuration: configuration(14, nil)).run()
        #expect(plain.weights != straight.weights, "augmentation changes the run")
    }
}
