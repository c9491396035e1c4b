import WeightLabCore

/// Sampling from N(μ, diag(s²)), shared by SNES and sep-CMA-ES: for each of `count` rows a draw
/// zₖ ~ N(0, I), kept for `tell`, and the individual xₖ = μ + s ⊙ zₖ; the center μ follows as row
/// `count` when it is evaluated too. Each row draws from its own stream, so the population does
/// not depend on the thread count.
enum DiagonalSampling {
    /// Draws `count` rows into `draws` (count × dimension, resized as needed) and writes the
    /// individuals, and the center when `evaluateCenter`, into `population`.
    static func sample(
        around center: [Float], scales: [Float], count: Int, evaluateCenter: Bool,
        draws: inout [Float], into population: inout PopulationMatrix, rng: inout RandomStream
    ) {
        let d = population.dimension
        NoiseRows.draw(
            count, work: count * d, center: center, scales: scales, centerRow: evaluateCenter ? count : nil,
            noise: &draws, into: &population, rng: &rng
        ) { k, z, m, s, rows in
            let x = rows + k * d
            for j in 0..<d { x[j] = m[j] + s[j] * z[j] }
        }
    }
}
