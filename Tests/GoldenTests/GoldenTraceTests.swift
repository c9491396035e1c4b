import Foundation
import Testing
import WeightLab

/// The golden record: thirteen representative runs, each stopped at a checkpoint halfway and
/// resumed, must reproduce their committed traces and final weights to the bit (under the
/// files' BLAS kernel). It guards refactors that promise identical behaviour; a deliberate
/// change of behaviour regenerates the files (and says so in its commit):
///
///     OPENBLAS_CORETYPE=Haswell WEIGHTLAB_REGENERATE_GOLDEN=1 swift test --filter GoldenTraceTests
///
/// The files (`Tests/GoldenTests/Golden/NAME.txt`) hold the OpenBLAS kernel they were made with,
/// the run's status, steps, cost, the final weights' bit patterns (as a 64-bit FNV-1a digest) and
/// norm, and the full trace as CSV without the wall seconds, the only column that is not a
/// function of the seed.
///
/// The bits are the kernel's: sgemm sums in a different order on, say, `Cooperlake` than on
/// `Haswell` (the files' kernel; `OPENBLAS_CORETYPE=Haswell` selects it on any x86-64), which
/// moves the last bit of a few values. Under another kernel the record must match the file in
/// every word and every number to a relative 1e-5 (the kernels differ by about 1e-7), the
/// digest aside; regenerate under the files' kernel.
@Suite struct GoldenTraceTests {
    /// A name, an optimizer specification, and the steps of the whole run (checkpointed at half).
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let specification: String
        let steps: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "adam", specification: #"{"optimizer": "adam", "learningRate": 0.01}"#, steps: 24),
        Case(name: "momentum", specification: #"{"optimizer": "momentum", "learningRate": 0.05}"#, steps: 24),
        Case(name: "cg-pr", specification: #"{"optimizer": "cg-pr"}"#, steps: 12),
        Case(name: "ga", specification: #"{"optimizer": "ga", "populationSize": 10}"#, steps: 12),
        Case(name: "pso", specification: #"{"optimizer": "pso", "populationSize": 10}"#, steps: 12),
        Case(name: "sa", specification: #"{"optimizer": "sa"}"#, steps: 12),
        Case(name: "cma-es", specification: #"{"optimizer": "cma-es", "populationSize": 8}"#, steps: 12),
        Case(name: "openai-es", specification: #"{"optimizer": "openai-es", "populationSize": 10}"#, steps: 12),
        Case(name: "pgpe", specification: #"{"optimizer": "pgpe", "populationSize": 10}"#, steps: 12),
        Case(
            name: "memetic",
            specification: #"{"optimizer": "memetic", "population": {"optimizer": "ga", "populationSize": 6}, "local": {"optimizer": "adam", "learningRate": 0.02, "steps": 3}, "mode": "lamarckian"}"#,
            steps: 10),
        Case(
            name: "sequential",
            specification: #"{"optimizer": "sequential", "parts": [{"optimizer": "pso", "populationSize": 6, "until": {"steps": 5}}, {"optimizer": "adam", "learningRate": 0.01}]}"#,
            steps: 16),
        Case(
            name: "pbt",
            specification: #"{"optimizer": "pbt", "trainer": {"optimizer": "adam", "learningRate": 0.02}, "populationSize": 3, "interval": 3}"#,
            steps: 16),
        Case(
            name: "principal-subspace",
            specification: #"{"optimizer": "principal-subspace", "components": 8, "inner": {"optimizer": "openai-es", "populationSize": 8}}"#,
            steps: 12),
    ]

    @Test(arguments: cases)
    func aResumedRunReproducesItsGoldenRecord(_ golden: Case) throws {
        let record = try Self.record(golden)
        let file = Self.directory.appending(path: "\(golden.name).txt")
        if ProcessInfo.processInfo.environment["WEIGHTLAB_REGENERATE_GOLDEN"] != nil {
            try Data(record.utf8).write(to: file, options: .atomic)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        if Self.kernel(of: expected) == BLAS.kernel.core {
            #expect(record == expected, "the run of \(golden.name) no longer matches \(file.path)")
        } else {
            let difference = Self.firstDifference(record, expected, relativeTolerance: 1e-5)
            #expect(difference == nil, "the run of \(golden.name) no longer matches \(file.path) under kernel \(BLAS.kernel.core): \(difference ?? "")")
        }
    }

    /// The kernel a record names on its first line.
    static func kernel(of record: String) -> String? {
        record.split(separator: "\n").first.flatMap { $0.hasPrefix(kernelLabel) ? String($0.dropFirst(kernelLabel.count)) : nil }
    }

    static let kernelLabel = "blas kernel: "

    /// The first line where `record` and `expected` differ beyond `relativeTolerance`: in a
    /// word, in the count of numbers, or in a number; the kernel and digest lines aside.
    static func firstDifference(_ record: String, _ expected: String, relativeTolerance: Double) -> String? {
        let lines = record.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == expectedLines.count else { return "\(lines.count) lines, expected \(expectedLines.count)" }
        let number = /-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/
        for (index, (line, wanted)) in zip(lines, expectedLines).enumerated() where line != wanted {
            if line.hasPrefix(kernelLabel) || line.hasPrefix(digestLabel) { continue }
            let words = line.replacing(number, with: "#")
            let values = line.matches(of: number).compactMap { Double($0.output.0) }
            let wantedValues = wanted.matches(of: number).compactMap { Double($0.output.0) }
            let close = zip(values, wantedValues).allSatisfy { abs($0 - $1) <= relativeTolerance * max(abs($0), abs($1)) }
            guard words == wanted.replacing(number, with: "#"), values.count == wantedValues.count, close else {
                return "line \(index + 1): \(line) (expected \(wanted))"
            }
        }
        return nil
    }

    static let digestLabel = "weights digest: "

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Golden")

    /// Runs `golden` for half its steps with a checkpoint, resumes it to the end on a fresh
    /// problem, and writes down what the resumed run produced.
    static func record(_ golden: Case) throws -> String {
        let checkpoint = FileManager.default.temporaryDirectory.appending(path: "weightlab-golden-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: checkpoint) }
        let data = try digits
        let policy = CheckpointPolicy(url: checkpoint, everySteps: golden.steps)
        let half = RunConfiguration(
            stopping: [.steps(golden.steps / 2)], recording: .everyStep, validation: data.validation, checkpoint: policy, seed: 21)
        _ = try Trainer(try optimizer(golden), on: try problem(data), configuration: half).run()
        var whole = half
        whole.stopping = [.steps(golden.steps)]
        let result = try Trainer(try optimizer(golden), on: try problem(data), configuration: whole).resume(from: checkpoint)
        var trace = result.trace
        for i in trace.rows.indices { trace.rows[i].wallSeconds = 0 }
        let norm = result.weights.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        return """
            \(kernelLabel)\(BLAS.kernel.core)
            optimizer: \(golden.specification)
            status: \(result.status)
            steps: \(result.steps)
            cost units: \(result.costUnits)
            weights: \(result.weights.count), Euclidean norm \(Float(norm))
            \(digestLabel)FNV-1a 64 of their bits \(String(digest(result.weights), radix: 16))
            \(trace.csv)
            """
    }

    static func optimizer(_ golden: Case) throws -> AnyWeightOptimizer {
        AnyWeightOptimizer(try OptimizerRegistry.standard.make(OptimizerSpec(parsing: golden.specification, path: golden.name)))
    }

    /// 300 training and 100 validation images of the embedded digits.
    static var digits: Dataset {
        get throws {
            var data = try Dataset.digits(testFraction: 0.2, validationFraction: 0.1, rng: RandomStream(seed: 3))
            data.train = data.train.subset(0..<300)
            data.validation = data.validation.subset(0..<100)
            return data
        }
    }

    /// A 64-6-10 tanh perceptron on `data`'s training images: mini-batches of 32, generations
    /// priced on a fresh subset of 64 images, line searches on all 300.
    static func problem(_ data: Dataset) throws -> Problem {
        let network = try Network.perceptron(inputs: 64, hidden: [6], outputs: 10, activation: .tanh)
        return try Problem(
            objective: NetworkObjective(network: network, loss: .softmaxCrossEntropy), training: data.train, batchSize: 32,
            fitnessSamples: .resampled(size: 64), rng: RandomStream(seed: 5)
        ) { rng in network.initialWeights(.xavierUniform, rng: &rng) }
    }

    /// FNV-1a over the weights' bit patterns, little-endian.
    static func digest(_ weights: [Float]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for w in weights {
            var bits = w.bitPattern
            for _ in 0..<4 {
                hash = (hash ^ UInt64(bits & 0xff)) &* 0x100_0000_01b3
                bits >>= 8
            }
        }
        return hash
    }
}
