extension NetworkObjective {
    /// The first layer's output width below which individuals are grouped into one wider product.
    static let groupedWidth = 256
    /// The most floats of one group's first-layer product a worker holds at once: a convolution's
    /// product has a row per output position, so its chunks hold fewer images.
    static let groupProductFloats = 1 << 22

    /// The summed data loss of every individual of `population` on `batch`, in batch-statistics mode.
    ///
    /// The first layer of every individual reads the same input, so it runs as one product
    /// A·[W₁ | … | W_G] over G individuals side by side, A being the batch itself for a dense first
    /// layer and its patch matrix (im2col, computed once per chunk for the whole population) for a
    /// convolution; groups are sized so that product is at least `groupedWidth` columns wide, which
    /// keeps BLAS efficient when each individual's layer is thin (a 784-32 layer, or 8 filters of
    /// 5×5, alone runs far below the machine's sgemm rate). Wide layers form groups of one and are
    /// used in place. Groups then run in parallel, one per task on one worker with one BLAS thread,
    /// through the rest of the network. Every task computes the same sums in the same order
    /// whatever the thread count, so results do not depend on it.
    ///
    /// `groups` restricts the work to those groups (of `populationGroups(count:)`); the sums of
    /// the other individuals stay 0.
    func populationLossSums(_ population: PopulationMatrix, _ batch: Samples, groups chosen: Range<Int>? = nil) -> [Double] {
        let p = population.count
        let first = network.layouts[0]
        let geometry = network.convolutionGeometries[0]
        // The shared product: rows of A per sample, A's width, and the first layer's width.
        let rowsPerSample = geometry?.output.positions ?? 1
        let inputs = geometry?.patchSize ?? first.inputWidth
        let width = firstProductWidth
        let (group, allGroups) = populationGroups(count: p)
        let selected = chosen ?? 0..<allGroups
        let groups = selected.count
        guard groups > 0 else { return [Double](repeating: 0, count: p) }
        let wide = group * width
        let workers = min(Parallelism.threadCount, groups)
        let rowsPerChunk = max(1, min(chunkSize, batch.count, Self.groupProductFloats / (rowsPerSample * wide)))
        let pool = (0..<workers).map { _ in takeWorkspace() }
        defer { workspaces.withLock { $0.append(contentsOf: pool) } }
        for ws in pool { ws.reserve(rowsPerChunk) }
        // Every group's first-layer weights and biases side by side, packed once (in parallel).
        let packed = group > 1 ? UnsafeMutablePointer<Float>.allocate(capacity: groups * (inputs * wide + wide)) : nil
        let products = (0..<workers).map { _ in group > 1 ? UnsafeMutablePointer<Float>.allocate(capacity: rowsPerChunk * rowsPerSample * wide) : nil }
        let patches = geometry.map { UnsafeMutablePointer<Float>.allocate(capacity: rowsPerChunk * $0.output.positions * $0.patchSize) }
        defer {
            packed?.deallocate()
            products.forEach { $0?.deallocate() }
            patches?.deallocate()
        }

        var sums = [Double](repeating: 0, count: p)
        sums.withUnsafeMutableBufferPointer { total in
            population.values.withUnsafeBufferPointer { all in
                batch.features.withUnsafeBufferPointer { x in
                    let individual = { (i: Int) in all.baseAddress! + i * self.dimension }
                    if let packed {
                        Parallelism.forEach(groups, workers: workers) { _, task in
                            let g = selected.lowerBound + task
                            let target = packed + task * (inputs * wide + wide)
                            for (column, i) in ((g * group)..<min(p, (g + 1) * group)).enumerated() {
                                let source = individual(i) + first.parameterOffset
                                for k in 0..<inputs { (target + k * wide + column * width).update(from: source + k * width, count: width) }
                                (target + inputs * wide + column * width).update(from: source + inputs * width, count: width)
                            }
                        }
                    }
                    BLAS.withThreads(1) {
                        var start = 0
                        while start < batch.count {
                            let rows = min(rowsPerChunk, batch.count - start)
                            let input = x.baseAddress! + start * network.inputWidth
                            var shared = input
                            if let geometry, let patches {
                                let area = geometry.output.positions * geometry.patchSize
                                Parallelism.forEach(rows, workers: workers) { _, image in
                                    geometry.patches(of: input + image * network.inputWidth, images: 1, into: patches + image * area)
                                }
                                shared = UnsafePointer(patches)
                            }
                            let m = rows * rowsPerSample
                            Parallelism.forEach(groups, workers: workers) { worker, task in
                                let g = selected.lowerBound + task
                                let members = (g * group)..<min(p, (g + 1) * group)
                                let ws = pool[worker]
                                let slice = ws.outputs[0]
                                // The group's first layer side by side (or the one individual's, in place).
                                var weights = UnsafePointer(individual(members.lowerBound) + first.parameterOffset)
                                var ldb = width
                                var product = slice
                                if let packed, let buffer = products[worker] {
                                    weights = UnsafePointer(packed + task * (inputs * wide + wide))
                                    ldb = wide
                                    product = buffer
                                }
                                let columns = members.count * width
                                for r in 0..<m { (product + r * columns).update(from: weights + inputs * ldb, count: columns) }
                                BLAS.gemm(m: m, n: columns, k: inputs, a: shared, lda: inputs, b: weights, ldb: ldb, beta: 1, c: product, ldc: columns)
                                for (column, i) in members.enumerated() {
                                    if product != slice {
                                        for r in 0..<m { (slice + r * width).update(from: product + r * columns + column * width, count: width) }
                                    }
                                    var unused = RandomStream(seed: 0)  // no dropout outside training
                                    let logits = network.forward(
                                        weights: individual(i), input: slice, rows: rows, workspace: ws,
                                        mode: .batchStatistics, statistics: nil, rng: &unused, from: 1)
                                    total[i] += lossFunction.evaluate(
                                        logits: logits, rows: rows, width: network.outputWidth, samples: batch, offset: start,
                                        gradient: nil, scale: 0).lossSum
                                }
                            }
                            start += rows
                        }
                    }
                }
            }
        }
        return sums
    }

    /// The columns one individual adds to the shared first-layer product: a dense layer's units,
    /// a convolution's filters.
    var firstProductWidth: Int { network.convolutionGeometries[0]?.output.channels ?? network.layouts[0].outputWidth }

    /// The individuals per group of the first-layer product and the number of groups, for a
    /// population of `count`: groups depend on the count alone, so any split of whole groups
    /// (among threads or ranks) computes the same sums.
    func populationGroups(count: Int) -> (size: Int, count: Int) {
        let size = min(count, max(1, (Self.groupedWidth + firstProductWidth - 1) / firstProductWidth))
        return size == 0 ? (0, 0) : (size, (count + size - 1) / size)
    }
}
