/// A resampled evaluation subset: a fresh uniform choice of `size` distinct samples at every
/// draw, written into storage reused from draw to draw.
///
/// Each draw is a partial Fisher–Yates shuffle (Knuth, TAOCP vol. 2, Algorithm 3.4.2P, stopped
/// after `size` swaps) of a permutation kept between draws: the first `size` entries are then
/// a uniform random subset whatever the permutation was before, so a draw costs O(size) and
/// allocates nothing once the first has sized the buffer (provided the caller has let go of
/// the previous draw). The fixed counterpart is `Samples.stratifiedSubset(size:rng:)`.
public struct ResampledSubset: Sendable {
    /// The samples drawn from.
    public let source: Samples
    /// Samples per draw.
    public let size: Int

    private var permutation: [Int]
    private var buffer: Samples

    /// Draws of `size` distinct samples out of `source`.
    public init(of source: Samples, size: Int) throws {
        guard size >= 1, size <= source.count else {
            throw WeightLabError.parameter("size", size, allowed: "1 ... \(source.count) (the number of samples)")
        }
        self.source = source
        self.size = size
        permutation = Array(0..<source.count)
        buffer = source.subset(0..<size)
    }

    /// A new uniformly drawn subset, in draw order.
    public mutating func draw(rng: inout RandomStream) -> Samples {
        let n = permutation.count
        for i in 0..<size {
            permutation.swapAt(i, i + rng.index(below: n - i))
        }
        buffer.replace(with: source, rows: permutation[..<size])
        return buffer
    }
}
