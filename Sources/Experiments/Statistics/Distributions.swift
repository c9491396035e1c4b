@preconcurrency import CGSL

/// Student's t distribution, through GSL's CDFs (`gsl_cdf_tdist_Pinv`).
public enum StudentT {
    /// The quantile t(p; ν): P(T ≤ t) = p, for p in (0, 1) and ν ≥ 1 degrees of freedom.
    public static func quantile(_ p: Double, degreesOfFreedom: Int) -> Double {
        gsl_cdf_tdist_Pinv(p, Double(max(1, degreesOfFreedom)))
    }
}

/// The standard normal distribution, through GSL's CDFs.
public enum StandardNormal {
    /// Q(z) = P(Z > z) (`gsl_cdf_ugaussian_Q`).
    public static func upperTail(_ z: Double) -> Double {
        gsl_cdf_ugaussian_Q(z)
    }

    /// The two-sided p-value 2·Q(|z|), at most 1.
    public static func twoSided(_ z: Double) -> Double {
        min(1, 2 * upperTail(abs(z)))
    }
}
