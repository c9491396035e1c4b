import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport

/// Checkpoints: resuming continues the identical trajectory, saves are atomic, and damaged or
/// mismatched files give clear errors.
@Suite struct CheckpointTests {
    private let validation = blobs(perClass: 4, seed: 41)

    private func networkRun(_ optimizer: some WeightOptimizer, steps: Int, checkpoint: CheckpointPolicy? = nil, seed: UInt64 = 3) -> RunConfiguration {
        RunConfiguration(stopping: [.steps(steps)], recording: .steps(2), validation: validation, checkpoint: checkpoint, seed: seed)
    }


    @Test func resumingANetworkRunContinuesTheIdenticalTrajectory() throws {
        // Momentum (state), dropout (the run's random stream), batch norm (running statistics)
        // and 30 samples in batches of 8 (the 11 steps cross epochs: the mini-batch order).
        let sgd = MomentumSGD(learningRate: 0.05, momentum: 0.9)
        let n = 11
        let straightProblem = try blobProblem()
        let straight = try Trainer(sgd, on: straightProblem, configuration: networkRun(sgd, steps: 2 * n)).run()

        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("run.json")
        let firstHalf = try Trainer(sgd, on: blobProblem(), configuration: networkRun(sgd, steps: n, checkpoint: CheckpointPolicy(url: file, everySteps: 4))).run()
        #expect(firstHalf.steps == n)

        let freshProblem = try blobProblem()
        let resumed = try Trainer(sgd, on: freshProblem, configuration: networkRun(sgd, steps: 2 * n)).resume(from: file)
        #expect(resumed.status == .completed(.steps))
        #expect(resumed.steps == 2 * n)
        #expect(bits(resumed.weights) == bits(straight.weights))
        #expect(sameRows(resumed.trace, straight.trace))
        #expect(resumed.costUnits == straight.costUnits)
        let statistics = { (problem: Problem) in (problem.objective as? NetworkObjective)?.runningStatistics ?? [] }
        #expect(bits(statistics(freshProblem)) == bits(statistics(straightProblem)))
        #expect(!statistics(freshProblem).isEmpty)

        // The random stream matters here: another seed ends elsewhere.
        let otherSeed = try Trainer(sgd, on: blobProblem(), configuration: networkRun(sgd, steps: 2 * n, seed: 4)).run()
        #expect(bits(otherSeed.weights) != bits(straight.weights))
    }

    @Test func aPeriodicCheckpointMidRunResumesIdentically() throws {
        let sgd = MomentumSGD(learningRate: 0.05, momentum: 0.9)
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("run.json")
        let copy = directory.appendingPathComponent("at-step-6.json")
        // Saved every 3 steps; when the row of step 8 is recorded the file holds step 6.
        let straight = try Trainer(sgd, on: blobProblem(), configuration: networkRun(sgd, steps: 14, checkpoint: CheckpointPolicy(url: file, everySteps: 3)))
            .run { progress in
                if progress.row.step == 8 { try? FileManager.default.copyItem(at: file, to: copy) }
            }
        let resumed = try Trainer(sgd, on: blobProblem(), configuration: networkRun(sgd, steps: 14)).resume(from: copy)
        #expect(bits(resumed.weights) == bits(straight.weights))
        #expect(sameRows(resumed.trace, straight.trace))
    }

    @Test func resumingAnAnalyticRunContinuesTheIdenticalTrajectory() throws {
        let sgd = MomentumSGD(learningRate: 2e-4, momentum: 0.9)
        let problem = { try Problem(function: AnalyticFunction(.rosenbrock, dimension: 4)) }
        let start: [Float] = [-1.2, 1, -1.2, 1]
        let configuration = { (steps: Int, checkpoint: CheckpointPolicy?) in
            RunConfiguration(stopping: [.steps(steps)], recording: .steps(5), measuresTrainingLoss: true, checkpoint: checkpoint)
        }
        let straight = try Trainer(sgd, on: problem(), configuration: configuration(40, nil)).run(from: start)
        #expect(straight.status == .completed(.steps))
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("rosenbrock.json")
        _ = try Trainer(sgd, on: problem(), configuration: configuration(17, CheckpointPolicy(url: file, everySteps: 100))).run(from: start)
        let resumed = try Trainer(sgd, on: problem(), configuration: configuration(40, nil)).resume(from: file)
        #expect(bits(resumed.weights) == bits(straight.weights))
        #expect(sameRows(resumed.trace, straight.trace))
        #expect(resumed.costUnits == 40 * 3)
    }

    @Test func aHybridCheckpointsItsTypeErasedParts() throws {
        // Three steps of momentum SGD, three of random search, and so on; resumed mid-stint.
        let relay = Relay(parts: [AnyWeightOptimizer(MomentumSGD(learningRate: 0.05, momentum: 0.9)), AnyWeightOptimizer(RandomSearch())], stint: 3)
        let straight = try Trainer(relay, on: blobProblem(), configuration: networkRun(relay, steps: 16)).run()
        // Rows every 2 steps; step s runs part (s − 1) / 3 mod 2.
        let parts = stride(from: 2, through: 16, by: 2).map { step in
            (step - 1) / 3 % 2 == 0 ? "0:test-momentum-sgd" : "1:test-random-search"
        }
        #expect(straight.trace.rows.map(\.part) == parts)
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("relay.json")
        _ = try Trainer(relay, on: blobProblem(), configuration: networkRun(relay, steps: 7, checkpoint: CheckpointPolicy(url: file, everySteps: 100))).run()
        let resumed = try Trainer(relay, on: blobProblem(), configuration: networkRun(relay, steps: 16)).resume(from: file)
        #expect(bits(resumed.weights) == bits(straight.weights))
        #expect(sameRows(resumed.trace, straight.trace))
    }

    /// A part's state decodes when the checkpoint is read, so damage inside a combiner's state
    /// is reported at resume with the field's path, before any step runs.
    @Test func aDamagedPartStateIsReportedWhenTheCheckpointIsRead() throws {
        let relay = Relay(parts: [AnyWeightOptimizer(MomentumSGD(learningRate: 0.05, momentum: 0.9)), AnyWeightOptimizer(RandomSearch())], stint: 3)
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("relay.json")
        _ = try Trainer(relay, on: blobProblem(), configuration: networkRun(relay, steps: 2, checkpoint: CheckpointPolicy(url: file, everySteps: 100))).run()
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var state = try #require(json["state"] as? [String: Any])
        var current = try #require(state["current"] as? [String: Any])
        var part = try #require(current["state"] as? [String: Any])
        part.removeValue(forKey: "velocity")
        current["state"] = part
        state["current"] = current
        json["state"] = state
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        let error = resumeError(relay, try blobProblem(), from: file)
        #expect(error?.message.contains("velocity") == true)
        #expect(error?.message.contains("state.current.state") == true)
    }

    @Test func aTypeErasedRunResumesIdentically() throws {
        let erased = AnyWeightOptimizer(MomentumSGD(learningRate: 0.05, momentum: 0.5))
        let configuration = { (steps: Int, checkpoint: CheckpointPolicy?) in RunConfiguration(stopping: [.steps(steps)], checkpoint: checkpoint) }
        let straight = try Trainer(erased, on: sphereProblem(dimension: 3), configuration: configuration(12, nil)).run()
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("erased.json")
        _ = try Trainer(erased, on: sphereProblem(dimension: 3), configuration: configuration(5, CheckpointPolicy(url: file, everySteps: 100))).run()
        let resumed = try Trainer(erased, on: sphereProblem(dimension: 3), configuration: configuration(12, nil)).resume(from: file)
        #expect(bits(resumed.weights) == bits(straight.weights))
    }

    // MARK: - Atomic saves

    @Test func savingLeavesOnlyTheCheckpointBehind() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("run.json")
        _ = try Trainer(MomentumSGD(learningRate: 0.1), on: sphereProblem(), configuration: RunConfiguration(
            stopping: [.steps(6)], checkpoint: CheckpointPolicy(url: file, everySteps: 1))).run()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["run.json"])
    }

    @Test func aFailedSaveLeavesThePreviousCheckpointIntact() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("run.json")
        // Saved after steps 1 and 2; the save after step 3 fails while encoding.
        let failing = EncodingFails(base: MomentumSGD(learningRate: 0.1), failAfter: 2)
        let configuration = { (steps: Int) in
            RunConfiguration(stopping: [.steps(steps)], checkpoint: CheckpointPolicy(url: file, everySteps: 1))
        }
        #expect(throws: WeightLabError.self) {
            _ = try Trainer(failing, on: sphereProblem(), configuration: configuration(5)).run(from: [1, -2])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["run.json"])
        // The file still holds step 2: resuming under a 2-step budget takes no step.
        let resumed = try Trainer(failing, on: sphereProblem(), configuration: configuration(2)).resume(from: file)
        #expect(resumed.steps == 2)
        #expect(resumed.trace.rows.map(\.step) == [1, 2])
        // Two steps of w ← w − 0.1 · 2w from (1, −2).
        var expected: [Float] = [1, -2]
        for _ in 0..<2 { expected = expected.map { $0 - 0.1 * (2 * $0) } }
        #expect(resumed.weights == expected)
    }

    @Test func aFailedRenameRemovesTheTemporaryFile() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A non-empty directory cannot be replaced by a file.
        let target = directory.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: target.appendingPathComponent("inside.txt"))
        let error = weightLabError { try AtomicFile.write(Data("new".utf8), to: target) }
        #expect(error?.kind == .io)
        #expect(error?.message.contains(target.path) == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["occupied"])
        #expect(try String(contentsOf: target.appendingPathComponent("inside.txt"), encoding: .utf8) == "keep")
    }

    // MARK: - Damaged and mismatched checkpoints

    /// A checkpoint of 4 momentum-SGD steps on the 2-D sphere, and its bytes.
    private func sphereCheckpoint(in directory: URL) throws -> (url: URL, data: Data) {
        let file = directory.appendingPathComponent("sphere.json")
        _ = try Trainer(MomentumSGD(learningRate: 0.1, momentum: 0.9), on: sphereProblem(), configuration: RunConfiguration(
            stopping: [.steps(4)], checkpoint: CheckpointPolicy(url: file, everySteps: 100))).run()
        return (file, try Data(contentsOf: file))
    }

    private func resumeError(_ optimizer: some WeightOptimizer, _ problem: Problem, from url: URL) -> WeightLabError? {
        weightLabError { _ = try Trainer(optimizer, on: problem, configuration: RunConfiguration(stopping: [.steps(10)])).resume(from: url) }
    }

    @Test func damagedCheckpointsAreReportedWithTheirPath() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (url, data) = try sphereCheckpoint(in: directory)
        let sgd = MomentumSGD(learningRate: 0.1, momentum: 0.9)

        try data.prefix(data.count / 2).write(to: url)
        let truncated = resumeError(sgd, try sphereProblem(), from: url)
        #expect(truncated?.kind == .data)
        #expect(truncated?.message.contains(url.path) == true)
        #expect(truncated?.message.contains("damaged") == true)

        try Data("weights: 1, 2".utf8).write(to: url)
        #expect(resumeError(sgd, try sphereProblem(), from: url)?.message.contains("damaged") == true)

        let missing = resumeError(sgd, try sphereProblem(), from: directory.appendingPathComponent("absent.json"))
        #expect(missing?.kind == .io)
    }

    @Test func tamperedFieldsAreNamed() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (url, data) = try sphereCheckpoint(in: directory)
        let sgd = MomentumSGD(learningRate: 0.1, momentum: 0.9)
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])

        var noVelocity = json
        var state = try #require(json["state"] as? [String: Any])
        state.removeValue(forKey: "velocity")
        noVelocity["state"] = state
        try JSONSerialization.data(withJSONObject: noVelocity).write(to: url)
        let error = resumeError(sgd, try sphereProblem(), from: url)
        #expect(error?.message.contains("velocity") == true)

        json["format"] = "something-else"
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        #expect(resumeError(sgd, try sphereProblem(), from: url)?.message.contains("not a WeightLab checkpoint") == true)
    }

    /// The seconds inside steps are part of the run's bookkeeping: counted across a resume,
    /// never more than the wall time, and a checkpoint written before they were recorded
    /// (no `loop.stepSeconds`) still resumes on the identical trajectory.
    @Test func stepSecondsCarryAcrossResumesAndOlderCheckpointsStillResume() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sgd = MomentumSGD(learningRate: 0.05, momentum: 0.9)
        let file = directory.appendingPathComponent("run.json")
        let first = try Trainer(sgd, on: blobProblem(), configuration: networkRun(sgd, steps: 6, checkpoint: CheckpointPolicy(url: file, everySteps: 100))).run()
        #expect(first.stepSeconds > 0 && first.stepSeconds <= first.wallSeconds)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var loop = try #require(json["loop"] as? [String: Any])
        let saved = try #require(loop["stepSeconds"] as? Double)
        #expect(saved > 0)

        let resumed = try Trainer(sgd, on: blobProblem(), configuration: networkRun(sgd, steps: 12)).resume(from: file)
        #expect(resumed.stepSeconds > saved && resumed.stepSeconds <= resumed.wallSeconds)

        loop.removeValue(forKey: "stepSeconds")
        var older = json
        older["loop"] = loop
        try JSONSerialization.data(withJSONObject: older).write(to: file)
        let fromOlder = try Trainer(sgd, on: blobProblem(), configuration: networkRun(sgd, steps: 12)).resume(from: file)
        #expect(bits(fromOlder.weights) == bits(resumed.weights))
        #expect(fromOlder.stepSeconds > 0 && fromOlder.stepSeconds <= fromOlder.wallSeconds)
    }

    @Test func mismatchedCheckpointsNameWhatDiffers() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (url, _) = try sphereCheckpoint(in: directory)
        let sgd = MomentumSGD(learningRate: 0.1, momentum: 0.9)

        let otherOptimizer = resumeError(RandomSearch(), try sphereProblem(), from: url)
        #expect(otherOptimizer?.message.contains("'test-momentum-sgd'") == true)
        #expect(otherOptimizer?.message.contains("'test-random-search'") == true)

        let otherDimension = resumeError(sgd, try sphereProblem(dimension: 3), from: url)
        #expect(otherDimension?.message.contains("holds 2 weights, but the problem has 3") == true)

        let networkFile = directory.appendingPathComponent("network.json")
        _ = try Trainer(sgd, on: blobProblem(batchSize: 8), configuration: RunConfiguration(
            stopping: [.steps(2)], checkpoint: CheckpointPolicy(url: networkFile, everySteps: 100))).run()
        let otherBatches = resumeError(sgd, try blobProblem(batchSize: 10), from: networkFile)
        #expect(otherBatches?.message.contains("mini-batches of 8") == true)
        let otherNetwork = resumeError(sgd, try blobProblem(batchNorm: false), from: networkFile)
        #expect(otherNetwork?.message.contains("weights") == true)
    }

    // MARK: - Encoding

    @Test func typeErasedStatesRoundTripThroughJSON() throws {
        // Heavy ball on f(w) = w² from w = 1, η = 0.1, μ = 0.9, g = 2w:
        // v = 2, w = 0.8; v = 0.9·2 + 1.6 = 3.4, w = 0.46; v = 3.06 + 0.92 = 3.98, w = 0.062.
        let erased = AnyWeightOptimizer(MomentumSGD(learningRate: 0.1, momentum: 0.9))
        let problem = try sphereProblem(dimension: 1)
        var rng = RunState(rng: RandomStream(seed: 1))
        var state = try erased.start(problem, from: [1], run: &rng)
        for _ in 0..<3 { _ = try erased.step(&state, problem, run: &rng) }
        #expect(abs(erased.incumbent(state)[0] - 0.062) < 1e-6)

        // A copy steps on its own: the original does not move.
        var copy = state
        _ = try erased.step(&copy, problem, run: &rng)
        #expect(erased.incumbent(state) != erased.incumbent(copy))
        #expect(abs(erased.incumbent(state)[0] - 0.062) < 1e-6)

        let data = try JSONCoding.encoder().encode(state)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["optimizer"] as? String == "test-momentum-sgd")
        let velocity = try #require((json["state"] as? [String: Any])?["velocity"] as? [Double])
        #expect(velocity.count == 1 && abs(velocity[0] - 3.98) < 1e-6)

        var restored = try JSONCoding.decoder(for: erased).decode(AnyWeightOptimizer.State.self, from: data)
        #expect(erased.incumbent(restored) == erased.incumbent(state))
        var rngA = RunState(rng: RandomStream(seed: 9))
        var rngB = rngA
        for _ in 0..<3 {
            _ = try erased.step(&state, problem, run: &rngA)
            _ = try erased.step(&restored, problem, run: &rngB)
        }
        #expect(bits(erased.incumbent(restored)) == bits(erased.incumbent(state)))
    }

    @Test func aTypeErasedStateKnowsItsOptimizer() throws {
        let problem = try sphereProblem()
        var rng = RunState(rng: RandomStream(seed: 1))
        let sgd = AnyWeightOptimizer(MomentumSGD(learningRate: 0.1))
        let data = try JSONCoding.encoder().encode(try sgd.start(problem, from: [1, 2], run: &rng))
        let search = AnyWeightOptimizer(RandomSearch())
        // Decoded for another optimizer, the state is refused naming both.
        #expect {
            _ = try JSONCoding.decoder(for: search).decode(AnyWeightOptimizer.State.self, from: data)
        } throws: { error in
            let text = JSONCoding.describe(error)
            return text.contains("'test-momentum-sgd'") && text.contains("test-random-search")
        }
        // Without the run's optimizers, a type-erased state does not decode at all.
        #expect(throws: DecodingError.self) { _ = try JSONCoding.decoder().decode(AnyWeightOptimizer.State.self, from: data) }
        // A live state of one optimizer stepped by another is an error, not a crash.
        var state = try JSONCoding.decoder(for: sgd).decode(AnyWeightOptimizer.State.self, from: data)
        #expect(search.incumbent(state).isEmpty)
        #expect(throws: WeightLabError.self) { _ = try search.step(&state, problem, run: &rng) }
    }

    @Test func nonFiniteValuesAndLargeIntegersSurviveATypeErasedState() throws {
        // f at (1e30, 0) overflows Float: random search's state holds loss = +∞. The random
        // stream's 64-bit words exceed 2⁵³ and must come back exactly.
        struct Holder: Codable { var stream: RandomStream; var state: AnyWeightOptimizer.State }
        let search = AnyWeightOptimizer(RandomSearch())
        let problem = try sphereProblem()
        var rng = RunState(rng: RandomStream(seed: 77))
        let state = try search.start(problem, from: [1e30, 0], run: &rng)
        let data = try JSONCoding.encoder().encode(Holder(stream: rng.rng, state: state))
        #expect(String(decoding: data, as: UTF8.self).contains("\"inf\""))
        let decoded = try JSONCoding.decoder(for: search).decode(Holder.self, from: data)
        #expect(decoded.stream == rng.rng)
        #expect(search.incumbent(decoded.state) == [1e30, 0])
        // Re-encoding the resolved state gives the same bytes.
        #expect(try JSONCoding.encoder().encode(decoded.state) == JSONCoding.encoder().encode(state))
    }

    @Test func packedFloatsAreExactAndCompact() throws {
        let values: [Float] = [0, -0.0, 1, -1.5, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                               Float(bitPattern: 0x7FC0_1234), 0.1]
        let data = try JSONCoding.encoder().encode(PackedFloats(wrappedValue: values))
        let decoded = try JSONCoding.decoder().decode(PackedFloats.self, from: data).wrappedValue
        #expect(bits(decoded) == bits(values))
        // Base64 of 4 bytes per value: 4⌈4n/3⌉ characters plus quotes.
        #expect(data.count == 4 * ((4 * values.count + 2) / 3) + 2)
        #expect(try JSONCoding.decoder().decode(PackedFloats.self, from: Data("[1.5, -2]".utf8)).wrappedValue == [1.5, -2])
        #expect(throws: DecodingError.self) { try JSONCoding.decoder().decode(PackedFloats.self, from: Data("\"AAAA\"".utf8)) }

        // The 784-256-128-10 perceptron's 235,146 weights: 1.25 MB, not 3 MB of decimals.
        let large = try JSONCoding.encoder().encode(PackedFloats(wrappedValue: [Float](repeating: 0.123456789, count: 235_146)))
        #expect(large.count == 4 * ((4 * 235_146 + 2) / 3) + 2)
    }
}
