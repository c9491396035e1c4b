/// Max or average pooling over `window` × `window` patches moved by `stride`, channel by
/// channel, without padding (PyTorch's `MaxPool2d`/`AvgPool2d` defaults; the stride defaults to
/// the window).
public struct Pooling: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        case max, average
    }

    public var kind: Kind
    public var window: Int
    public var stride: Int

    public init(_ kind: Kind, window: Int, stride: Int? = nil) {
        self.kind = kind
        self.window = window
        self.stride = stride ?? window
    }

    /// `maxpool(2)`, `avgpool(3, stride: 2)`.
    public var description: String {
        let name = kind == .max ? "maxpool" : "avgpool"
        return stride == window ? "\(name)(\(window))" : "\(name)(\(window), stride: \(stride))"
    }

    /// The output shape on `input`; throws (with `item` naming the layer) when the window does not fit.
    func output(on input: ImageShape, item: String) throws -> ImageShape {
        guard window >= 1 else { throw WeightLabError(.specification, "\(item): the window \(window) must be at least 1") }
        guard stride >= 1 else { throw WeightLabError(.specification, "\(item): stride \(stride) must be at least 1") }
        guard input.height >= window, input.width >= window else {
            throw WeightLabError(.shape, "\(item): input \(input) is smaller than the window")
        }
        return ImageShape(height: (input.height - window) / stride + 1, width: (input.width - window) / stride + 1, channels: input.channels)
    }

    /// y = the max (or mean) of each window, per channel, for `images` samples.
    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, images: Int, input: ImageShape, output: ImageShape) {
        let c = input.channels
        let scale = 1 / Float(window * window)
        var out = y
        for n in 0..<images {
            let image = x + n * input.count
            for i in 0..<output.height {
                for j in 0..<output.width {
                    let corner = image + ((i * stride) * input.width + j * stride) * c
                    if kind == .max { out.update(from: corner, count: c) } else { out.update(repeating: 0, count: c) }
                    for a in 0..<window {
                        for b in 0..<window {
                            let v = corner + (a * input.width + b) * c
                            if kind == .max {
                                for k in 0..<c { out[k] = Swift.max(out[k], v[k]) }
                            } else {
                                for k in 0..<c { out[k] += v[k] }
                            }
                        }
                    }
                    if kind == .average { for k in 0..<c { out[k] *= scale } }
                    out += c
                }
            }
        }
    }

    /// dx (overwritten) from dy: a max window sends its gradient to the first position holding
    /// the maximum (`taken`, one flag per channel, is scratch), an average window spreads it evenly.
    func backward(
        _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
        images: Int, input: ImageShape, output: ImageShape, taken: UnsafeMutablePointer<Float>
    ) {
        let c = input.channels
        let scale = 1 / Float(window * window)
        dx.update(repeating: 0, count: images * input.count)
        var position = 0
        for n in 0..<images {
            let offset = n * input.count
            for i in 0..<output.height {
                for j in 0..<output.width {
                    let corner = offset + ((i * stride) * input.width + j * stride) * c
                    let out = position * c
                    if kind == .max { taken.update(repeating: 0, count: c) }
                    for a in 0..<window {
                        for b in 0..<window {
                            let v = corner + (a * input.width + b) * c
                            if kind == .max {
                                for k in 0..<c where taken[k] == 0 && x[v + k] == y[out + k] {
                                    dx[v + k] += dy[out + k]
                                    taken[k] = 1
                                }
                            } else {
                                for k in 0..<c { dx[v + k] += dy[out + k] * scale }
                            }
                        }
                    }
                    position += 1
                }
            }
        }
    }
}
