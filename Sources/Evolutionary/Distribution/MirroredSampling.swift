import WeightLabCore

/// Mirrored (antithetic, symmetric) sampling, shared by OpenAI-ES and PGPE: for each of the
/// n/2 pairs a perturbation δₖ = s ⊙ zₖ with zₖ ~ N(0, I) and per-weight scales s, priced as
/// the rows μ + δₖ (row 2k) and μ − δₖ (row 2k + 1); the center μ follows as row n when it is
/// evaluated too. Pairing cancels the even terms of the gradient estimate (Brockhoff et al.,
/// 2010; Sehnke et al., 2010).
enum MirroredSampling {
    /// `populationSize`, once it is known to be an even count of at least 2.
    static func checked(populationSize: Int) throws -> Int {
        guard populationSize >= 2, populationSize % 2 == 0 else {
            throw WeightLabError.parameter("populationSize", populationSize, allowed: "an even integer ≥ 2 (mirrored pairs)")
        }
        return populationSize
    }

    /// Draws `pairs` perturbations into `perturbations` (pairs × dimension, resized as needed)
    /// and writes the mirrored rows, and the center when `evaluateCenter`, into `population`.
    static func sample(
        around center: [Float], scales: [Float], pairs: Int, evaluateCenter: Bool,
        perturbations: inout [Float], into population: inout PopulationMatrix, rng: inout RandomStream
    ) {
        let d = population.dimension
        NoiseRows.draw(
            pairs, work: 2 * pairs * d, center: center, scales: scales, centerRow: evaluateCenter ? 2 * pairs : nil,
            noise: &perturbations, into: &population, rng: &rng
        ) { k, delta, mu, s, rows in
            let plus = rows + 2 * k * d
            let minus = plus + d
            for j in 0..<d {
                delta[j] *= s[j]
                plus[j] = mu[j] + delta[j]
                minus[j] = mu[j] - delta[j]
            }
        }
    }
}
