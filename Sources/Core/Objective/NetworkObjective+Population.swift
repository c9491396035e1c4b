extension NetworkObjective {
    /// Rows per block of the shared first-layer product.
    static let sharedBlockRows = 256

    /// The summed data loss of every individual of `population` on `batch`, in batch-statistics mode.
    ///
    /// For each chunk of samples, the first dense layer of all P individuals is one product
    /// X·[W₁ | W₂ | … | W_P] (in × P·out columns gathered from the population), which keeps BLAS
    /// efficient even when each individual's layer is thin; every individual then continues from
    /// its slice of that product on its own worker with one BLAS thread.
    /// The product is split into blocks of rows (one BLAS thread each) so that its results do not
    /// depend on the thread count.
    func populationLossSums(_ population: PopulationMatrix, _ batch: Samples) -> [Double] {
        let p = population.count
        let first = network.layouts[0]
        let inputs = first.inputWidth
        let width = first.outputWidth
        let wide = p * width
        let workers = min(Parallelism.threadCount, p)
        let pool = (0..<workers).map { _ in takeWorkspace() }
        defer { workspaces.withLock { $0.append(contentsOf: pool) } }

        // The first layer's weights and biases of all individuals, side by side.
        var weights = [Float](repeating: 0, count: inputs * wide)
        var biases = [Float](repeating: 0, count: wide)
        population.values.withUnsafeBufferPointer { all in
            weights.withUnsafeMutableBufferPointer { w in
                for i in 0..<p {
                    let source = all.baseAddress! + i * dimension + first.parameterOffset
                    for k in 0..<inputs {
                        (w.baseAddress! + k * wide + i * width).update(from: source + k * width, count: width)
                    }
                    for j in 0..<width { biases[i * width + j] = source[inputs * width + j] }
                }
            }
        }

        var sums = [Double](repeating: 0, count: p)
        let rowsPerChunk = min(chunkSize, batch.count)
        var product = [Float](repeating: 0, count: rowsPerChunk * wide)
        var start = 0
        while start < batch.count {
            let rows = min(rowsPerChunk, batch.count - start)
            product.withUnsafeMutableBufferPointer { y in
                let out = y.baseAddress!
                for r in 0..<rows { (out + r * wide).update(from: biases, count: wide) }
                // Blocks of a fixed number of rows, each on one BLAS thread: every entry is summed
                // in the same order whatever the thread count, so results do not depend on it.
                let blocks = (rows + Self.sharedBlockRows - 1) / Self.sharedBlockRows
                batch.features.withUnsafeBufferPointer { x in
                    weights.withUnsafeBufferPointer { w in
                        BLAS.withThreads(1) {
                            Parallelism.forEach(blocks, workers: workers) { _, block in
                                let top = block * Self.sharedBlockRows
                                BLAS.gemm(
                                    m: min(Self.sharedBlockRows, rows - top), n: wide, k: inputs,
                                    a: x.baseAddress! + (start + top) * inputs, lda: inputs,
                                    b: w.baseAddress!, ldb: wide, beta: 1, c: out + top * wide, ldc: wide)
                            }
                        }
                    }
                }
                sums.withUnsafeMutableBufferPointer { total in
                    population.values.withUnsafeBufferPointer { all in
                        BLAS.withThreads(1) {
                            Parallelism.forEach(p, workers: workers) { worker, i in
                                let ws = pool[worker]
                                ws.reserve(rows)
                                let slice = ws.outputs[0]
                                for r in 0..<rows { (slice + r * width).update(from: out + r * wide + i * width, count: width) }
                                var unused = RandomStream(seed: 0)  // no dropout outside training
                                let logits = network.forward(
                                    weights: all.baseAddress! + i * dimension, input: slice, rows: rows, workspace: ws,
                                    mode: .batchStatistics, statistics: nil, rng: &unused, from: 1)
                                total[i] += lossFunction.evaluate(
                                    logits: logits, rows: rows, width: network.outputWidth, samples: batch, offset: start,
                                    gradient: nil, scale: 0).lossSum
                            }
                        }
                    }
                }
            }
            start += rows
        }
        return sums
    }
}
