import Foundation

/// Everything a run needs to continue exactly where it was, in one JSON file
/// (see docs/run-loop.md for the format). Written atomically by the run loop at its
/// checkpoint interval and when a run completes; read back by `Trainer.resume(from:)`.
struct Checkpoint<State: Codable & Sendable>: Codable, Sendable {
    static var format: String { "weightlab-checkpoint" }
    static var version: Int { 2 }

    var format = Self.format
    var version = Self.version
    /// The optimizer's registry name.
    var optimizer: String
    /// Weights in the problem.
    var dimension: Int
    /// Training samples in the problem (0 for analytic functions).
    var trainingSamples: Int
    /// What the steps carry: the stream, the mini-batch cursor, the units spent.
    var run: RunState
    /// The run loop's counters, rows and early-stopping record.
    var loop: RunBookkeeping
    /// The network objective's batch-norm running statistics.
    var runningStatistics: PackedFloats?
    /// The optimizer's incumbent when saved (for readers without the optimizer).
    var weights: PackedFloats
    /// The optimizer's own state.
    var state: State

    /// Encodes the checkpoint and replaces `url` with it atomically.
    func write(to url: URL) throws {
        let data: Data
        do {
            data = try JSONCoding.encoder().encode(self)
        } catch {
            throw WeightLabError(.io, "cannot encode the checkpoint for \(url.path): \(error)")
        }
        try AtomicFile.write(data, to: url)
    }

    /// Reads the checkpoint at `url` and checks that it belongs to `optimizer` on `problem`;
    /// the states of combiners' parts decode into their own types through `optimizer`'s tree.
    static func read(from url: URL, optimizer: any WeightOptimizer, problem: Problem) throws -> Checkpoint {
        let data: Data
        do {
            data = Data(try FileBytes.readRaw(url.path))
        } catch {
            throw WeightLabError(.io, "cannot read checkpoint \(url.path): \(error)")
        }
        let decoder = JSONCoding.decoder(for: optimizer)
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw WeightLabError(.data, "checkpoint \(url.path) is damaged or not a WeightLab checkpoint: \(JSONCoding.describe(error))")
        }
        try header.check(url: url, optimizer: optimizer.name, problem: problem)
        let checkpoint: Checkpoint
        do {
            checkpoint = try decoder.decode(Checkpoint.self, from: data)
        } catch {
            throw WeightLabError(.data, "checkpoint \(url.path) is damaged or was written by a different version of '\(optimizer.name)': \(JSONCoding.describe(error))")
        }
        try checkpoint.check(url: url, problem: problem)
        return checkpoint
    }

    /// The fields that say what a checkpoint belongs to, read before the rest.
    struct Header: Decodable {
        var format: String
        var version: Int
        var optimizer: String
        var dimension: Int
        var trainingSamples: Int

        func check(url: URL, optimizer name: String, problem: Problem) throws {
            guard format == Checkpoint.format else {
                throw WeightLabError(.data, "\(url.path) is not a WeightLab checkpoint (format '\(format)')")
            }
            guard version == Checkpoint.version else {
                throw WeightLabError(.data, "checkpoint \(url.path) has format version \(version); this WeightLab reads version \(Checkpoint.version)")
            }
            guard optimizer == name else {
                throw WeightLabError(.data, "checkpoint \(url.path) was written by optimizer '\(optimizer)', but this run uses '\(name)'")
            }
            guard dimension == problem.dimension else {
                throw WeightLabError(.data, "checkpoint \(url.path) holds \(dimension) weights, but the problem has \(problem.dimension)")
            }
            guard trainingSamples == problem.training.count else {
                throw WeightLabError(.data, "checkpoint \(url.path) was written for \(trainingSamples) training samples, but the problem has \(problem.training.count)")
            }
        }
    }

    /// Checks the parts that must fit the problem's shapes.
    private func check(url: URL, problem: Problem) throws {
        func mismatch(_ what: String) -> WeightLabError {
            WeightLabError(.data, "checkpoint \(url.path) does not fit this problem: \(what)")
        }
        guard weights.wrappedValue.count == dimension else { throw mismatch("its weight vector has \(weights.wrappedValue.count) entries, not \(dimension)") }
        switch (run.batches, problem.batchOrder) {
        case (nil, nil): break
        case (let saved?, let current?):
            guard saved.sampleCount == current.sampleCount, saved.batchSize == current.batchSize, saved.dropLast == current.dropLast else {
                throw mismatch("mini-batches of \(saved.batchSize) over \(saved.sampleCount) samples were saved, the problem draws \(current.batchSize) over \(current.sampleCount)")
            }
        case (nil, _?): throw mismatch("it was written without mini-batches, the problem draws them")
        case (_?, nil): throw mismatch("it was written with mini-batches, the problem draws none")
        }
        let statisticsCount = (problem.objective as? NetworkObjective)?.network.statisticsCount ?? 0
        let savedCount = runningStatistics?.wrappedValue.count ?? 0
        guard savedCount == statisticsCount else {
            throw mismatch("it holds \(savedCount) batch-norm statistics, the network keeps \(statisticsCount)")
        }
        guard loop.step >= 0, loop.fallback.weights.wrappedValue.count == dimension,
              loop.best?.weights.wrappedValue.count ?? dimension == dimension else {
            throw mismatch("its run record is inconsistent")
        }
    }
}
