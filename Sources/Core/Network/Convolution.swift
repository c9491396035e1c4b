/// A 2-D convolution layer's settings: `filters` kernels of kernelHeight × kernelWidth over all
/// input channels, moved by `stride` in both directions over the zero-padded input, plus a bias
/// per filter.
///
/// Kernel layout in the flat buffer (TensorFlow's HWIO): K[kh][kw][c][f] row-major, that is a
/// (kernelHeight·kernelWidth·channels) × filters matrix, then the `filters` biases. Output
/// y[n, i, j, f] = b[f] + Σ_{kh,kw,c} x[n, i·s − top + kh, j·s − left + kw, c]·K[kh][kw][c][f]
/// (cross-correlation, as in PyTorch and TensorFlow), zero outside the input.
public struct Convolution: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How the input is padded with zeros.
    public enum Padding: Sendable, Hashable, Codable, CustomStringConvertible {
        /// No padding: only positions where the kernel fits inside the input.
        case valid
        /// TensorFlow's `same`: output ⌈size/stride⌉, total padding max((out − 1)·s + k − size, 0),
        /// the smaller half at the top and left.
        case same
        /// `n` zeros on every side.
        case zeros(Int)

        public var description: String {
            switch self {
            case .valid: "valid"
            case .same: "same"
            case .zeros(let n): "\(n)"
            }
        }
    }

    public var filters: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var stride: Int
    public var padding: Padding

    public init(filters: Int, kernelHeight: Int, kernelWidth: Int, stride: Int = 1, padding: Padding = .valid) {
        self.filters = filters
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
    }

    /// A square kernel.
    public init(filters: Int, kernel: Int, stride: Int = 1, padding: Padding = .valid) {
        self.init(filters: filters, kernelHeight: kernel, kernelWidth: kernel, stride: stride, padding: padding)
    }

    /// `conv(32, 3, stride: 2, padding: same)`, leaving out stride 1 and valid padding.
    public var description: String {
        let kernel = kernelHeight == kernelWidth ? "\(kernelHeight)" : "\(kernelHeight)x\(kernelWidth)"
        var text = "conv(\(filters), \(kernel)"
        if stride != 1 { text += ", stride: \(stride)" }
        if padding != .valid { text += ", padding: \(padding)" }
        return text + ")"
    }

    /// Weights per filter: kernelHeight·kernelWidth·channels.
    func patchSize(channels: Int) -> Int { kernelHeight * kernelWidth * channels }

    /// Where the kernel goes on `input`; throws (with `item` naming the layer) when nothing fits.
    func geometry(on input: ImageShape, item: String) throws -> ConvolutionGeometry {
        guard filters >= 1 else { throw WeightLabError(.specification, "\(item): a convolution needs at least one filter, got \(filters)") }
        guard kernelHeight >= 1, kernelWidth >= 1 else {
            throw WeightLabError(.specification, "\(item): the kernel \(kernelHeight)×\(kernelWidth) must be at least 1×1")
        }
        guard stride >= 1 else { throw WeightLabError(.specification, "\(item): stride \(stride) must be at least 1") }
        func axis(_ size: Int, _ kernel: Int) throws -> (out: Int, before: Int) {
            switch padding {
            case .valid:
                guard size >= kernel else { return (0, 0) }
                return ((size - kernel) / stride + 1, 0)
            case .same:
                let out = (size + stride - 1) / stride
                return (out, max((out - 1) * stride + kernel - size, 0) / 2)
            case .zeros(let n):
                guard n >= 0, n < kernel else {
                    throw WeightLabError(.specification, "\(item): padding \(n) must lie in 0..<\(kernel) (the kernel size)")
                }
                guard size + 2 * n >= kernel else { return (0, 0) }
                return ((size + 2 * n - kernel) / stride + 1, n)
            }
        }
        let rows = try axis(input.height, kernelHeight)
        let columns = try axis(input.width, kernelWidth)
        guard rows.out >= 1, columns.out >= 1 else {
            throw WeightLabError(.shape, "\(item): input \(input) is smaller than the kernel \(kernelHeight)×\(kernelWidth)")
        }
        return ConvolutionGeometry(
            input: input, output: ImageShape(height: rows.out, width: columns.out, channels: filters),
            kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, top: rows.before, left: columns.before)
    }
}

/// A convolution placed on an input: the shapes, and the padding before the first row and column.
struct ConvolutionGeometry: Sendable, Hashable {
    let input: ImageShape
    let output: ImageShape
    let kernelHeight: Int
    let kernelWidth: Int
    let stride: Int
    let top: Int
    let left: Int

    /// Columns of the patch matrix: kernelHeight·kernelWidth·input channels.
    var patchSize: Int { kernelHeight * kernelWidth * input.channels }

    /// im2col: writes the patch matrix of `images` samples, one row per output position
    /// (sample, row, column) and one column per (kh, kw, c), zeros where the kernel overhangs the
    /// input. Each kernel row's span of valid columns is one contiguous copy in NHWC.
    func patches(of x: UnsafePointer<Float>, images: Int, into columns: UnsafeMutablePointer<Float>) {
        let c = input.channels
        let rowFloats = kernelWidth * c
        var row = columns
        for n in 0..<images {
            let image = x + n * input.count
            for i in 0..<output.height {
                for j in 0..<output.width {
                    for kh in 0..<kernelHeight {
                        let line = row + kh * rowFloats
                        let ih = i * stride - top + kh
                        guard ih >= 0, ih < input.height else {
                            line.update(repeating: 0, count: rowFloats)
                            continue
                        }
                        let (first, last) = validKernelColumns(j)
                        if first > 0 { line.update(repeating: 0, count: first * c) }
                        if last > first {
                            let iw = j * stride - left + first
                            (line + first * c).update(from: image + (ih * input.width + iw) * c, count: (last - first) * c)
                        }
                        if last < kernelWidth { (line + last * c).update(repeating: 0, count: (kernelWidth - last) * c) }
                    }
                    row += patchSize
                }
            }
        }
    }

    /// col2im: adds every patch-matrix entry back onto the input position it was read from,
    /// into `dx` (overwritten), the adjoint of `patches`.
    func accumulatePatches(_ columns: UnsafePointer<Float>, images: Int, into dx: UnsafeMutablePointer<Float>) {
        let c = input.channels
        dx.update(repeating: 0, count: images * input.count)
        var row = columns
        for n in 0..<images {
            let image = dx + n * input.count
            for i in 0..<output.height {
                for j in 0..<output.width {
                    let (first, last) = validKernelColumns(j)
                    for kh in 0..<kernelHeight {
                        let ih = i * stride - top + kh
                        guard ih >= 0, ih < input.height, last > first else { continue }
                        let source = row + (kh * kernelWidth + first) * c
                        let target = image + (ih * input.width + j * stride - left + first) * c
                        for e in 0..<((last - first) * c) { target[e] += source[e] }
                    }
                    row += patchSize
                }
            }
        }
    }

    /// The kernel columns first..<last that land inside the input at output column `j`.
    @inline(__always)
    private func validKernelColumns(_ j: Int) -> (Int, Int) {
        let start = j * stride - left
        let first = max(0, -start)
        return (first, max(first, min(kernelWidth, input.width - start)))
    }
}
