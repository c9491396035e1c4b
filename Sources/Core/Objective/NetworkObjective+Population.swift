extension NetworkObjective {
    /// The first layer's output width below which individuals are grouped into one wider product.
    static let groupedWidth = 256

    /// The summed data loss of every individual of `population` on `batch`, in batch-statistics mode.
    ///
    /// Individuals are evaluated in fixed groups, one group per task, each task on one worker with
    /// one BLAS thread. The first dense layer of a group shares its input, so a group's first
    /// layer is one product X·[W₁ | … | W_G] over G individuals side by side; groups are sized so
    /// that product is at least `groupedWidth` columns wide, which keeps BLAS efficient when each
    /// individual's layer is thin (a 784-32 layer alone runs far below the machine's sgemm rate).
    /// Wide layers form groups of one and are used in place. Every task computes the same sums
    /// in the same order whatever the thread count, so results do not depend on it.
    ///
    /// `groups` restricts the work to those groups (of `populationGroups(count:)`); the sums of
    /// the other individuals stay 0.
    func populationLossSums(_ population: PopulationMatrix, _ batch: Samples, groups chosen: Range<Int>? = nil) -> [Double] {
        let p = population.count
        let first = network.layouts[0]
        let inputs = first.inputWidth
        let width = first.outputWidth
        let (group, allGroups) = populationGroups(count: p)
        let selected = chosen ?? 0..<allGroups
        let groups = selected.count
        let workers = min(Parallelism.threadCount, groups)
        let pool = (0..<workers).map { _ in takeWorkspace() }
        defer { workspaces.withLock { $0.append(contentsOf: pool) } }
        let rowsPerChunk = min(chunkSize, batch.count)
        // Per-worker scratch: a group's first-layer weights, biases and product.
        let scratch = (0..<workers).map { _ in
            group > 1 ? UnsafeMutablePointer<Float>.allocate(capacity: inputs * group * width + group * width + rowsPerChunk * group * width) : nil
        }
        defer { scratch.forEach { $0?.deallocate() } }

        var sums = [Double](repeating: 0, count: p)
        sums.withUnsafeMutableBufferPointer { total in
            population.values.withUnsafeBufferPointer { all in
                batch.features.withUnsafeBufferPointer { x in
                    BLAS.withThreads(1) {
                        Parallelism.forEach(groups, workers: workers) { worker, task in
                            let g = selected.lowerBound + task
                            let members = (g * group)..<min(p, (g + 1) * group)
                            let ws = pool[worker]
                            ws.reserve(rowsPerChunk)
                            let wide = members.count * width
                            // The group's first layer side by side (or the one individual's, in place).
                            var weights = all.baseAddress! + members.lowerBound * dimension + first.parameterOffset
                            var biases = weights + inputs * width
                            var ldb = width
                            var product = ws.outputs[0]
                            if let buffer = scratch[worker] {
                                for (column, i) in members.enumerated() {
                                    let source = all.baseAddress! + i * dimension + first.parameterOffset
                                    for k in 0..<inputs {
                                        (buffer + k * wide + column * width).update(from: source + k * width, count: width)
                                    }
                                    (buffer + inputs * wide + column * width).update(from: source + inputs * width, count: width)
                                }
                                weights = UnsafePointer(buffer)
                                biases = UnsafePointer(buffer + inputs * wide)
                                ldb = wide
                                product = buffer + inputs * wide + wide
                            }
                            var start = 0
                            while start < batch.count {
                                let rows = min(rowsPerChunk, batch.count - start)
                                for r in 0..<rows { (product + r * wide).update(from: biases, count: wide) }
                                BLAS.gemm(
                                    m: rows, n: wide, k: inputs, a: x.baseAddress! + start * inputs, lda: inputs,
                                    b: weights, ldb: ldb, beta: 1, c: product, ldc: wide)
                                for (column, i) in members.enumerated() {
                                    let slice = ws.outputs[0]
                                    if product != slice {
                                        for r in 0..<rows {
                                            (slice + r * width).update(from: product + r * wide + column * width, count: width)
                                        }
                                    }
                                    var unused = RandomStream(seed: 0)  // no dropout outside training
                                    let logits = network.forward(
                                        weights: all.baseAddress! + i * dimension, input: slice, rows: rows, workspace: ws,
                                        mode: .batchStatistics, statistics: nil, rng: &unused, from: 1)
                                    total[i] += lossFunction.evaluate(
                                        logits: logits, rows: rows, width: network.outputWidth, samples: batch, offset: start,
                                        gradient: nil, scale: 0).lossSum
                                }
                                start += rows
                            }
                        }
                    }
                }
            }
        }
        return sums
    }

    /// The individuals per group of the first-layer product and the number of groups, for a
    /// population of `count`: groups depend on the count alone, so any split of whole groups
    /// (among threads or ranks) computes the same sums.
    func populationGroups(count: Int) -> (size: Int, count: Int) {
        let size = min(count, max(1, (Self.groupedWidth + network.layouts[0].outputWidth - 1) / network.layouts[0].outputWidth))
        return size == 0 ? (0, 0) : (size, (count + size - 1) / size)
    }
}
