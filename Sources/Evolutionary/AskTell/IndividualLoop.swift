import WeightLabCore

/// Runs per-individual operator work (crossover, mutation, sampling) in parallel without
/// giving up reproducibility: each individual draws from its own child stream, split by
/// index from one fork of the caller's stream, so the result depends on the seed only, never
/// on the thread count or on which worker ran which index.
enum IndividualLoop {
    /// Below this many weights touched per call, threads cost more than they save.
    static let parallelThreshold = 1 << 15

    /// Calls `body(i, &stream)` for every i in 0..<`count`; `work` is the number of weights the
    /// whole loop touches, deciding whether to spread it over `Parallelism`'s workers.
    static func forEach(_ count: Int, work: Int, rng: inout RandomStream, _ body: (_ index: Int, _ stream: inout RandomStream) -> Void) {
        let base = rng.fork()
        let workers = work >= parallelThreshold ? Parallelism.threadCount : 1
        Parallelism.forEach(count, workers: workers) { _, i in
            var stream = base.split(i)
            body(i, &stream)
        }
    }
}
