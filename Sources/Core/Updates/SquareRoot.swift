/// √x for x ≥ 0, in a form the loop vectorizer can use.
///
/// On Linux, `Float.squareRoot()` is libm's `sqrtf`, which must set `errno` for negative
/// arguments; that branch keeps every loop containing it scalar (measured here: 630 µs for an
/// AdaGrad update of 235,146 weights). Taking the magnitude first tells LLVM the argument is
/// non-negative, so it emits packed `sqrtps` (160 µs). The result is bit-identical to
/// `x.squareRoot()` for every x ≥ 0 (−0 included); for x < 0 it is √|x| instead of NaN.
@inline(__always)
func squareRoot(ofNonNegative x: Float) -> Float {
    x.magnitude.squareRoot()
}
