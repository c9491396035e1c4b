import Foundation
import WeightLabCore

/// How two real-valued parents a and b (weight vectors) make children, gene by gene.
/// Operators write into caller-owned rows of the offspring matrix and allocate nothing.
public enum Crossover: Sendable, Equatable, Codable {
    /// Each gene comes from either parent with probability ½; the second child takes the
    /// other parent's gene (Syswerda, 1989).
    case uniform
    /// Genes before a uniform cut point c ∈ 1…n−1 from one parent, the rest from the other.
    case onePoint
    /// Genes between two distinct cut points from the other parent.
    case twoPoint
    /// BLX-α (Eshelman & Schaffer, 1993): every gene of each child is drawn uniformly from
    /// [min − αI, max + αI], with min, max the parents' genes and I = max − min.
    case blend(alpha: Float)
    /// SBX, simulated binary crossover (Deb & Agrawal, 1995): per gene, with u ~ U[0, 1),
    /// β = (2u)^(1/(η+1)) for u ≤ ½ and (1/(2(1 − u)))^(1/(η+1)) otherwise, and children
    /// ½((1 + β)a + (1 − β)b), ½((1 − β)a + (1 + β)b): their mean is the parents' mean, their
    /// spread β times the parents'. A larger distribution index η keeps children closer.
    case simulatedBinary(eta: Float)

    /// The names the registry accepts.
    public static let names = ["uniform", "one-point", "two-point", "blx", "sbx"]

    /// Throws unless the operator's parameter is in range.
    public func validate() throws {
        switch self {
        case .blend(let alpha): try OperatorParameters.blendAlpha.check(alpha)
        case .simulatedBinary(let eta): try OperatorParameters.sbxEta.check(eta)
        default: break
        }
    }

    /// Writes the children of `a` and `b` (`count` genes each) into `first` and, when given,
    /// `second`.
    public func cross(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int,
        into first: UnsafeMutablePointer<Float>, _ second: UnsafeMutablePointer<Float>?,
        rng: inout RandomStream
    ) {
        var local = rng  // a local copy keeps the generator's state in registers
        defer { rng = local }
        switch self {
        case .uniform:
            // Branch-free: a random bit becomes an all-ones or all-zeros mask that selects
            // each gene's bit pattern from one parent or the other.
            var bits: UInt64 = 0
            for i in 0..<n {
                if i & 63 == 0 { bits = local.next() }
                let mask = 0 &- UInt32(truncatingIfNeeded: bits & 1)
                bits >>= 1
                let x = a[i].bitPattern
                let y = b[i].bitPattern
                first[i] = Float(bitPattern: (x & ~mask) | (y & mask))
                if let second { second[i] = Float(bitPattern: (y & ~mask) | (x & mask)) }
            }
        case .onePoint:
            let cut = n > 1 ? 1 + local.index(below: n - 1) : n
            splice(a, b, n, cut..<n, first, second)
        case .twoPoint:
            guard n > 2 else {
                splice(a, b, n, (n > 1 ? 1 : n)..<n, first, second)
                return
            }
            var lower = 1 + local.index(below: n - 1)
            var upper = 1 + local.index(below: n - 2)
            if upper >= lower { upper += 1 } else { swap(&lower, &upper) }
            splice(a, b, n, lower..<upper, first, second)
        case .blend(let alpha):
            for i in 0..<n {
                // Two 24-bit uniforms from one 64-bit draw.
                let bits = local.next()
                let low = min(a[i], b[i])
                let interval = max(a[i], b[i]) - low
                let start = low - alpha * interval
                let width = (1 + 2 * alpha) * interval
                first[i] = start + width * (Float(bits >> 40) * 0x1p-24)
                if let second { second[i] = start + width * (Float((bits >> 16) & 0xFF_FFFF) * 0x1p-24) }
            }
        case .simulatedBinary(let eta):
            let exponent = 1 / (eta + 1)
            for i in 0..<n {
                let u = local.uniform()
                let beta = u <= 0.5 ? powf(2 * u, exponent) : powf(1 / (2 * (1 - u)), exponent)
                let mean = 0.5 * (a[i] + b[i])
                let half = 0.5 * beta * (a[i] - b[i])
                first[i] = mean + half
                if let second { second[i] = mean - half }
            }
        }
    }

    /// Children equal to the parents with the genes in `range` exchanged.
    private func splice(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int, _ range: Range<Int>,
        _ first: UnsafeMutablePointer<Float>, _ second: UnsafeMutablePointer<Float>?
    ) {
        first.update(from: a, count: n)
        (first + range.lowerBound).update(from: b + range.lowerBound, count: range.count)
        if let second {
            second.update(from: b, count: n)
            (second + range.lowerBound).update(from: a + range.lowerBound, count: range.count)
        }
    }
}
