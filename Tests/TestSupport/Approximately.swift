/// Whether `a` and `b` agree within `absolute`, or within `relative` of the larger magnitude:
/// |a − b| ≤ max(absolute, relative · max(|a|, |b|)). The one approximate comparison of the
/// tests (swift-numerics' `isApproximatelyEqual(to:absoluteTolerance:relativeTolerance:)` in
/// spirit); NaN equals nothing.
public func isApproximatelyEqual<T: BinaryFloatingPoint>(_ a: T, _ b: T, absolute: T = 0, relative: T = 0) -> Bool {
    guard a.isFinite, b.isFinite else { return a == b }
    return abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}
