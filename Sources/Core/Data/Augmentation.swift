import Foundation

/// Random transforms of training images, applied on the fly to each mini-batch (never to
/// validation or test data, nor to population fitness unless asked), in place on the batch's
/// own copy of the samples: the data set is never copied or changed.
///
/// Written `crop(4), flip, erase(0.5)` (`init(parsing:)`); each transform draws from the stream
/// it is given, image by image in order, so the same stream gives the same batch.
public struct Augmentation: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Transform: Sendable, Equatable, Codable, CustomStringConvertible {
        /// Pad `padding` zeros on every side and crop back to the image's size at a uniformly random
        /// offset: the image shifted by (dy, dx) ∈ [−p, p]², zeros coming in (the CIFAR-10
        /// recipe of He et al., 2016, with p = 4).
        case crop(padding: Int)
        /// Mirror left–right with probability ½.
        case flip
        /// Random erasing (Zhong et al., 2020; torchvision's `RandomErasing` defaults): with
        /// `probability`, a rectangle of area s·h·w (s uniform in [0.02, 0.33]) and aspect ratio r
        /// (log-uniform in [0.3, 3.3]) at a random place is set to 0; up to 10 tries for one that fits.
        case erase(probability: Float)
        /// Shift by whole pixels drawn uniformly up to `fraction` of the height and of the width
        /// in each direction, zeros coming in (Keras' `RandomTranslation` with fill 0).
        case translate(fraction: Float)

        public var description: String {
            switch self {
            case .crop(let p): "crop(\(p))"
            case .flip: "flip"
            case .erase(let p): "erase(\(p))"
            case .translate(let f): "translate(\(f))"
            }
        }
    }

    /// The transforms, applied in order.
    public let transforms: [Transform]

    public static let knownNames = ["crop(padding)", "flip", "erase(probability)", "translate(fraction)"]

    /// The largest crop padding: beyond an image's size a shift only blanks it, and the draw of
    /// 2p + 1 offsets must not overflow.
    public static let maximumPadding = 10_000

    public init(_ transforms: [Transform]) throws {
        for transform in transforms {
            switch transform {
            case .crop(let p):
                guard (0...Self.maximumPadding).contains(p) else {
                    throw WeightLabError.parameter("crop padding", p, allowed: "a whole number from 0 to \(Self.maximumPadding)")
                }
            case .flip: break
            case .erase(let p): try validate("erase probability", p, in: 0...1)
            case .translate(let f): try validate("translate fraction", f, in: 0...1)
            }
        }
        self.transforms = transforms
    }

    /// Parses `crop(4), flip, erase(0.5), translate(0.1)`; `context` (`--augment`, a spec path)
    /// starts every error.
    public init(parsing text: String, context: String = "--augment") throws {
        let items = text.split(separator: ",").map(\.trimmingWhitespace)
        try self.init(items: items.count == 1 && items[0].isEmpty ? [] : items, context: context)
    }

    /// One transform per string, as a YAML list gives them.
    public init(items: [String], context: String) throws {
        var transforms: [Transform] = []
        for (index, raw) in items.enumerated() {
            let item = raw.trimmingWhitespace
            func fail(_ why: String) -> WeightLabError { WeightLabError(.specification, "\(context) item \(index + 1), '\(item)': \(why)") }
            var name = item.lowercased()
            var argument: String? = nil
            if let open = item.firstIndex(of: "(") {
                guard item.hasSuffix(")") else { throw fail("expected ')' at the end") }
                name = item[..<open].trimmingWhitespace.lowercased()
                argument = item[item.index(after: open)..<item.index(before: item.endIndex)].trimmingWhitespace
            }
            func number() throws -> Float {
                guard let argument, let value = Float(argument), value.isFinite else { throw fail("expected \(name)(a number)") }
                return value
            }
            switch name {
            case "crop":
                guard let argument, let p = Int(argument), p >= 0 else { throw fail("expected crop(padding), a whole number ≥ 0") }
                transforms.append(.crop(padding: p))
            case "flip":
                guard argument == nil else { throw fail("flip takes no argument") }
                transforms.append(.flip)
            case "erase":
                transforms.append(.erase(probability: argument == nil ? 0.5 : try number()))
            case "translate":
                transforms.append(.translate(fraction: try number()))
            default:
                throw fail("unknown transform '\(name)'; known: \(Self.knownNames.joined(separator: ", "))")
            }
        }
        do { try self.init(transforms) } catch let error as WeightLabError { throw WeightLabError(error.kind, "\(context): \(error.message)") }
    }

    public var description: String { transforms.map(\.description).joined(separator: ", ") }

    /// Transforms every image of `batch` (channels-last images of `shape`) in place.
    public func apply(to batch: inout Samples, shape: ImageShape, rng: inout RandomStream) {
        guard !transforms.isEmpty, batch.featureCount == shape.count else { return }
        let count = batch.count
        batch.features.withUnsafeMutableBufferPointer { features in
            for n in 0..<count {
                let image = features.baseAddress! + n * shape.count
                for transform in transforms { apply(transform, to: image, shape: shape, rng: &rng) }
            }
        }
    }

    private func apply(_ transform: Transform, to image: UnsafeMutablePointer<Float>, shape: ImageShape, rng: inout RandomStream) {
        switch transform {
        case .crop(let p):
            guard p > 0 else { return }
            let dy = rng.index(below: 2 * p + 1) - p
            let dx = rng.index(below: 2 * p + 1) - p
            Self.shift(image, shape: shape, down: dy, right: dx)
        case .translate(let fraction):
            let my = Int(fraction * Float(shape.height))
            let mx = Int(fraction * Float(shape.width))
            let dy = rng.index(below: 2 * my + 1) - my
            let dx = rng.index(below: 2 * mx + 1) - mx
            Self.shift(image, shape: shape, down: dy, right: dx)
        case .flip:
            if rng.uniform() < 0.5 { Self.mirror(image, shape: shape) }
        case .erase(let probability):
            guard rng.uniform() < probability else { return }
            let area = Float(shape.positions)
            for _ in 0..<10 {
                let target = area * rng.uniform(0.02, 0.33)
                let ratio = exp(rng.uniform(log(0.3), log(3.3)))
                let h = Int((target * ratio).squareRoot().rounded())
                let w = Int((target / ratio).squareRoot().rounded())
                guard h >= 1, w >= 1, h < shape.height, w < shape.width else { continue }
                let top = rng.index(below: shape.height - h + 1)
                let left = rng.index(below: shape.width - w + 1)
                for i in top..<(top + h) {
                    (image + (i * shape.width + left) * shape.channels).update(repeating: 0, count: w * shape.channels)
                }
                return
            }
        }
    }

    /// The image moved `down` rows and `right` columns (negative: up, left), zeros coming in,
    /// in place: rows are visited so that each is read before it is overwritten.
    static func shift(_ image: UnsafeMutablePointer<Float>, shape: ImageShape, down: Int, right: Int) {
        let c = shape.channels
        let rowFloats = shape.width * c
        let kept = max(0, shape.width - abs(right))
        for k in 0..<shape.height {
            let i = down > 0 ? shape.height - 1 - k : k
            let target = image + i * rowFloats
            let source = i - down
            guard source >= 0, source < shape.height, kept > 0 else {
                target.update(repeating: 0, count: rowFloats)
                continue
            }
            let from = image + source * rowFloats + max(0, -right) * c
            (target + max(0, right) * c).update(from: from, count: kept * c)
            if right > 0 { target.update(repeating: 0, count: right * c) }
            if right < 0 { (target + kept * c).update(repeating: 0, count: -right * c) }
        }
    }

    /// The image mirrored left–right, in place.
    static func mirror(_ image: UnsafeMutablePointer<Float>, shape: ImageShape) {
        let c = shape.channels
        for i in 0..<shape.height {
            let row = image + i * shape.width * c
            for j in 0..<(shape.width / 2) {
                let a = row + j * c
                let b = row + (shape.width - 1 - j) * c
                for k in 0..<c { swap(&a[k], &b[k]) }
            }
        }
    }
}

extension TrainingAugmentation {
    /// The pipeline `text` (`crop(4), flip`) on `data`'s images; an error naming `context` when
    /// the data set's samples are not images.
    public init(parsing text: String, for data: Dataset, appliesToFitness: Bool = false, context: String = "--augment") throws {
        guard let shape = data.imageShape else {
            throw WeightLabError(.specification, "\(context): augmentation transforms images, but the samples of '\(data.name)' are flat vectors of \(data.featureCount) features")
        }
        self.init(try Augmentation(parsing: text, context: context), shape: shape, appliesToFitness: appliesToFitness)
    }
}
