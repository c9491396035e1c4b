import Foundation

/// A seeded, splittable stream of random numbers: xoshiro256** (Blackman & Vigna, 2018)
/// seeded through SplitMix64.
///
/// WeightLab never uses a global generator. Every piece of randomness comes from a stream
/// handed in explicitly, and parallel work takes child streams with `split(_:)`, which depend
/// only on the parent's state and the child's index — so the same seed gives the same numbers
/// whatever the thread count. The state is four words and `Codable`, so runs checkpoint exactly.
public struct RandomStream: RandomNumberGenerator, Codable, Sendable, Equatable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A stream whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
    }

    /// The child stream number `index`: a function of this stream's state and `index` only.
    /// Splitting does not advance the parent; advance it (or split with distinct indexes)
    /// to get fresh children at each use.
    public func split(_ index: Int) -> RandomStream {
        var mixer = SplitMix64(state: s0 ^ (s1 &* 0x9E37_79B9_7F4A_7C15) ^ rotl(s2, 17) ^ rotl(s3, 41))
        let key = mixer.next() ^ (UInt64(bitPattern: Int64(index)) &* 0xD1B5_4A32_D192_ED03)
        return RandomStream(seed: key)
    }

    /// A new independent stream, advancing this one.
    public mutating func fork() -> RandomStream {
        RandomStream(seed: next())
    }

    /// The next 64 random bits (xoshiro256**). Inlinable, so hot loops in other modules pay
    /// no call per draw.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform on [0, 1), 24 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// Uniform on [0, 1), 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform on [`lower`, `upper`).
    @inlinable @inline(__always)
    public mutating func uniform(_ lower: Float, _ upper: Float) -> Float {
        lower + (upper - lower) * uniform()
    }

    /// A uniformly chosen integer in 0 ..< `bound` (Lemire's multiply-shift, unbiased).
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "index(below:) needs a positive bound")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A standard Cauchy draw: tan(π(u − ½)).
    public mutating func cauchy() -> Float {
        var u = uniformDouble()
        while u == 0 { u = uniformDouble() }
        return Float(Foundation.tan(Double.pi * (u - 0.5)))
    }

    /// Fills `buffer` with uniform draws on [`lower`, `upper`).
    public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, lower: Float, upper: Float) {
        for i in buffer.indices { buffer[i] = uniform(lower, upper) }
    }

    /// A uniformly random permutation of 0 ..< `count` written into `indices` (Fisher–Yates).
    public mutating func shuffle(_ indices: inout [Int]) {
        var i = indices.count - 1
        while i > 0 {
            let j = index(below: i + 1)
            indices.swapAt(i, j)
            i -= 1
        }
    }
}

@inlinable @inline(__always)
func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}

/// SplitMix64 (Steele, Lea & Flood, 2014): turns one seed word into well-mixed state words.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
