@preconcurrency import CGSL

/// The GSL multimin algorithms WeightLab drives (GSL reference manual, "Multidimensional
/// Minimization", §"Algorithms with Derivatives"). Each iteration is a line search along a
/// direction built from gradients; `tol` is the accuracy of that line search, not a stopping
/// tolerance.
public enum LineSearchMethod: String, Sendable, Codable, CaseIterable {
    /// Fletcher–Reeves conjugate gradient: successive line minimizations along
    /// p′ = g′ + (|g′|²/|g|²)·p, stopping each when p·g < tol·|p|·|g|
    /// (Fletcher & Reeves, "Function minimization by conjugate gradients", 1964).
    case conjugateFletcherReeves = "cg-fr"
    /// Polak–Ribière conjugate gradient: as Fletcher–Reeves with β = g′·(g′ − g)/|g|²
    /// (Polak & Ribière, 1969); usually better on non-quadratic functions.
    case conjugatePolakRibiere = "cg-pr"
    /// GSL's `vector_bfgs2`: BFGS directions with Fletcher's bracketing-and-sectioning line
    /// search (Fletcher, "Practical Methods of Optimization", 2nd ed., algorithms 2.6.2 and
    /// 2.6.4; `tol` is Fletcher's σ). GSL keeps no n×n matrix: each direction is the BFGS
    /// update of the identity by the last step and gradient change (memoryless BFGS).
    case bfgs2
    /// Steepest descent: a step of length s along −g/|g|; s doubles after a successful step
    /// and is multiplied by `tol` after a step that raised the function.
    case steepestDescent = "steepest-descent"

    /// GSL's algorithm descriptor.
    var gslType: UnsafePointer<gsl_multimin_fdfminimizer_type> {
        switch self {
        case .conjugateFletcherReeves: weightlab_conjugate_fr()
        case .conjugatePolakRibiere: weightlab_conjugate_pr()
        case .bfgs2: weightlab_vector_bfgs2()
        case .steepestDescent: weightlab_steepest_descent()
        }
    }

    /// The default line-search accuracy: 0.01, tighter than the 0.1 the GSL manual suggests,
    /// because evaluations here are Float32 — on the 10-D Rosenbrock function BFGS2 with 0.1
    /// stalls (GSL_ENOPROG) 1.1e-4 from the minimizer, with 0.01 2.5e-6 from it, at about the
    /// same cost. Steepest descent uses `tol` to shrink a failed step, and keeps GSL's 0.1.
    public var defaultTolerance: Double {
        self == .steepestDescent ? 0.1 : 0.01
    }

    /// Whether the method carries a search direction between iterations (conjugate
    /// gradient), which a restart resets to steepest descent.
    var keepsDirection: Bool {
        self == .conjugateFletcherReeves || self == .conjugatePolakRibiere
    }
}
