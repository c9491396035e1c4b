import Foundation

/// How layers that behave differently in training run in one pass.
public enum PassMode: Sendable {
    /// Dropout active (masks from the stream), batch norm on batch statistics, running
    /// statistics updated.
    case training
    /// Dropout off, batch norm on its running statistics.
    case inference
    /// Dropout off, batch norm on batch statistics, nothing updated: how population methods
    /// price individuals, whose running statistics were never tracked.
    case batchStatistics
}

extension Network {
    /// Runs `rows` samples (row-major, `inputWidth` wide) through the network, leaving every
    /// layer's output in `workspace`; returns the last output (rows × outputWidth).
    /// `statistics` (batch-norm running statistics) is read in inference and updated in training.
    /// With `first` > 0 the pass starts at that layer, `input` being the previous layer's output.
    @discardableResult
    public func forward(
        weights w: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int,
        workspace ws: Workspace, mode: PassMode,
        statistics: UnsafeMutablePointer<Float>?, rng: inout RandomStream, from first: Int = 0
    ) -> UnsafeMutablePointer<Float> {
        ws.reserve(rows)
        var x = input
        for l in first..<layouts.count {
            let layout = layouts[l]
            let y = ws.outputs[l]
            let inW = layout.inputWidth
            let outW = layout.outputWidth
            let p = w + layout.parameterOffset
            let count = rows * outW
            switch layout.layer {
            case .dense:
                let bias = p + inW * outW
                for r in 0..<rows { (y + r * outW).update(from: bias, count: outW) }
                BLAS.gemm(m: rows, n: outW, k: inW, a: x, lda: inW, b: p, ldb: outW, beta: 1, c: y, ldc: outW)
            case .convolution(let convolution):
                // The patch matrix (rows·positions × patch) times the kernel matrix (patch × filters)
                // is the output in NHWC, one row per position.
                let geometry = convolutionGeometries[l]!
                let positions = rows * geometry.output.positions
                let filters = convolution.filters
                geometry.patches(of: x, images: rows, into: ws.patches)
                for r in 0..<positions { (y + r * filters).update(from: p + geometry.patchSize * filters, count: filters) }
                BLAS.gemm(
                    m: positions, n: filters, k: geometry.patchSize, a: ws.patches, lda: geometry.patchSize,
                    b: p, ldb: filters, beta: 1, c: y, ldc: filters)
            case .pooling(let pooling):
                pooling.forward(x, y, images: rows, input: layout.inputShape!, output: layout.outputShape!)
            case .globalAveragePooling:
                averagePositions(x, y, rows: rows, shape: layout.inputShape!)
            case .activation(let activation):
                activation.forward(x, y, count: count, width: layout.channels, slopes: activation.hasParameters ? UnsafePointer(p) : nil)
            case .dropout(let rate):
                if mode == .training && rate > 0 {
                    let mask = ws.masks[l]!
                    let keep = 1 / (1 - rate)
                    for i in 0..<count {
                        mask[i] = rng.uniform() < rate ? 0 : keep
                        y[i] = x[i] * mask[i]
                    }
                } else {
                    y.update(from: x, count: count)
                }
            case .batchNorm(let momentum, let epsilon):
                normalizeForward(
                    x, y, rows: rows * layout.positions, width: layout.channels, gamma: p, beta: p + layout.channels, momentum: momentum, epsilon: epsilon,
                    normalized: ws.normalized[l]!, inverseDeviation: ws.inverseDeviation[l]!,
                    mean: ws.columnA, variance: ws.columnB, mode: mode,
                    running: statistics.map { $0 + layout.statisticsOffset })
            }
            x = UnsafePointer(y)
        }
        return ws.lastOutput
    }

    /// Back-propagates `outputGradient` (rows × outputWidth, ∂L/∂output of the last forward
    /// pass, overwritten) and adds ∂L/∂weights into `gradient`.
    public func backward(
        weights w: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int,
        workspace ws: Workspace, outputGradient: UnsafeMutablePointer<Float>,
        gradient g: UnsafeMutablePointer<Float>
    ) {
        var dy = outputGradient
        var spare = outputGradient == ws.gradientA ? ws.gradientB : ws.gradientA
        for l in stride(from: layouts.count - 1, through: 0, by: -1) {
            let layout = layouts[l]
            let x = l == 0 ? input : UnsafePointer(ws.outputs[l - 1])
            let y = UnsafePointer(ws.outputs[l])
            let inW = layout.inputWidth
            let outW = layout.outputWidth
            let p = w + layout.parameterOffset
            let gp = g + layout.parameterOffset
            let count = rows * outW
            switch layout.layer {
            case .dense:
                // ∂W += xᵀ·dy, ∂b += dyᵀ·1, dx = dy·Wᵀ.
                BLAS.gemm(transposeA: true, m: inW, n: outW, k: rows, a: x, lda: inW, b: dy, ldb: outW, beta: 1, c: gp, ldc: outW)
                BLAS.gemv(transpose: true, m: rows, n: outW, a: dy, lda: outW, x: ws.ones, beta: 1, y: gp + inW * outW)
                if l > 0 {
                    BLAS.gemm(transposeB: true, m: rows, n: inW, k: outW, a: dy, lda: outW, b: p, ldb: outW, beta: 0, c: spare, ldc: inW)
                    swap(&dy, &spare)
                }
            case .convolution(let convolution):
                // ∂K += patchesᵀ·dy, ∂b += dyᵀ·1, ∂patches = dy·Kᵀ, dx = col2im(∂patches).
                let geometry = convolutionGeometries[l]!
                let positions = rows * geometry.output.positions
                let filters = convolution.filters
                let patch = geometry.patchSize
                geometry.patches(of: x, images: rows, into: ws.patches)
                BLAS.gemm(transposeA: true, m: patch, n: filters, k: positions, a: ws.patches, lda: patch, b: dy, ldb: filters, beta: 1, c: gp, ldc: filters)
                BLAS.gemv(transpose: true, m: positions, n: filters, a: dy, lda: filters, x: ws.ones, beta: 1, y: gp + patch * filters)
                if l > 0 {
                    BLAS.gemm(transposeB: true, m: positions, n: patch, k: filters, a: dy, lda: filters, b: p, ldb: filters, beta: 0, c: ws.patchGradient, ldc: patch)
                    geometry.accumulatePatches(ws.patchGradient, images: rows, into: spare)
                    swap(&dy, &spare)
                }
            case .pooling(let pooling):
                if l > 0 {
                    pooling.backward(x, y, dy, spare, images: rows, input: layout.inputShape!, output: layout.outputShape!, taken: ws.columnA)
                    swap(&dy, &spare)
                }
            case .globalAveragePooling:
                if l > 0 {
                    spreadOverPositions(dy, spare, rows: rows, shape: layout.inputShape!)
                    swap(&dy, &spare)
                }
            case .activation(let activation):
                let parametric = activation.hasParameters
                activation.backward(x, y, dy, count: count, width: layout.channels, slopes: parametric ? p : nil, slopeGradient: parametric ? gp : nil)
            case .dropout(let rate):
                if rate > 0, let mask = ws.masks[l] {
                    for i in 0..<count { dy[i] *= mask[i] }
                }
            case .batchNorm:
                normalizeBackward(
                    dy, rows: rows * layout.positions, width: layout.channels, gamma: p, normalized: ws.normalized[l]!,
                    inverseDeviation: ws.inverseDeviation[l]!, gammaGradient: gp, betaGradient: gp + layout.channels,
                    sumA: ws.columnA, sumB: ws.columnB)
            }
        }
    }

    /// y[n, c] = the mean of x[n, ·, ·, c] over the image's positions.
    private func averagePositions(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, shape: ImageShape) {
        let scale = 1 / Float(shape.positions)
        for r in 0..<rows {
            let out = y + r * shape.channels
            out.update(repeating: 0, count: shape.channels)
            for q in 0..<shape.positions {
                let source = x + (r * shape.positions + q) * shape.channels
                for k in 0..<shape.channels { out[k] += source[k] }
            }
            for k in 0..<shape.channels { out[k] *= scale }
        }
    }

    /// The adjoint of `averagePositions`: dx[n, q, c] = dy[n, c] / positions.
    private func spreadOverPositions(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, rows: Int, shape: ImageShape) {
        let scale = 1 / Float(shape.positions)
        for r in 0..<rows {
            for q in 0..<shape.positions {
                let target = dx + (r * shape.positions + q) * shape.channels
                for k in 0..<shape.channels { target[k] = dy[r * shape.channels + k] * scale }
            }
        }
    }

    private func normalizeForward(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, momentum: Float, epsilon: Float,
        normalized xhat: UnsafeMutablePointer<Float>, inverseDeviation inv: UnsafeMutablePointer<Float>,
        mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>,
        mode: PassMode, running: UnsafeMutablePointer<Float>?
    ) {
        if mode == .inference, let running {
            for j in 0..<width {
                mean[j] = running[j]
                inv[j] = 1 / (running[width + j] + epsilon).squareRoot()
            }
        } else {
            mean.initialize(repeating: 0, count: width)
            variance.initialize(repeating: 0, count: width)
            for r in 0..<rows {
                let row = x + r * width
                for j in 0..<width { mean[j] += row[j] }
            }
            let inverseRows = 1 / Float(rows)
            for j in 0..<width { mean[j] *= inverseRows }
            for r in 0..<rows {
                let row = x + r * width
                for j in 0..<width { let d = row[j] - mean[j]; variance[j] += d * d }
            }
            for j in 0..<width {
                let biased = variance[j] * inverseRows
                inv[j] = 1 / (biased + epsilon).squareRoot()
                if mode == .training, let running {
                    let unbiased = rows > 1 ? variance[j] / Float(rows - 1) : biased
                    running[j] = (1 - momentum) * running[j] + momentum * mean[j]
                    running[width + j] = (1 - momentum) * running[width + j] + momentum * unbiased
                }
            }
        }
        for r in 0..<rows {
            let o = r * width
            for j in 0..<width {
                let h = (x[o + j] - mean[j]) * inv[j]
                xhat[o + j] = h
                y[o + j] = gamma[j] * h + beta[j]
            }
        }
    }

    /// In place: dy becomes ∂L/∂x. With x̂ the normalized input, n the batch size,
    /// ∂x = (γ/σ)/n · (n·dy − Σdy − x̂·Σ(dy·x̂)); ∂γ += Σ dy·x̂, ∂β += Σ dy.
    private func normalizeBackward(
        _ dy: UnsafeMutablePointer<Float>, rows: Int, width: Int, gamma: UnsafePointer<Float>,
        normalized xhat: UnsafePointer<Float>, inverseDeviation inv: UnsafePointer<Float>,
        gammaGradient: UnsafeMutablePointer<Float>, betaGradient: UnsafeMutablePointer<Float>,
        sumA: UnsafeMutablePointer<Float>, sumB: UnsafeMutablePointer<Float>
    ) {
        sumA.initialize(repeating: 0, count: width)
        sumB.initialize(repeating: 0, count: width)
        for r in 0..<rows {
            let o = r * width
            for j in 0..<width {
                sumA[j] += dy[o + j]
                sumB[j] += dy[o + j] * xhat[o + j]
            }
        }
        for j in 0..<width {
            betaGradient[j] += sumA[j]
            gammaGradient[j] += sumB[j]
        }
        let n = Float(rows)
        for r in 0..<rows {
            let o = r * width
            for j in 0..<width {
                let scale = gamma[j] * inv[j] / n
                dy[o + j] = scale * (n * dy[o + j] - sumA[j] - xhat[o + j] * sumB[j])
            }
        }
    }
}
