/// Whether `a` and `b` agree within `absolute`, or within `relative` of the larger magnitude:
/// |a − b| ≤ max(absolute, relative · max(|a|, |b|)). The one approximate comparison of the
/// tests (swift-numerics' `isApproximatelyEqual(to:absoluteTolerance:relativeTolerance:)` in
/// spirit); NaN equals nothing.
public func isApproximatelyEqual<T: BinaryFloatingPoint>(_ a: T, _ b: T, absolute: T = 0, relative: T = 0) -> Bool {
    guard a.isFinite, b.isFinite else { return a == b }
    return abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

/// Whether an observed share is within `z` standard errors of the expected proportion over
/// `n` draws: |observed − expected| ≤ z·√(p(1 − p)/n).
public func withinSampling(_ observed: Double, _ expected: Double, draws n: Int, z: Double = 4.5) -> Bool {
    abs(observed - expected) <= z * (expected * (1 - expected) / Double(n)).squareRoot() + 1e-12
}
