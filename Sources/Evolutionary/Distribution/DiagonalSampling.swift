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
        if draws.count != count * d { draws = [Float](repeating: 0, count: count * d) }
        draws.withUnsafeMutableBufferPointer { draws in
            population.values.withUnsafeMutableBufferPointer { rows in
                center.withUnsafeBufferPointer { m in
                    scales.withUnsafeBufferPointer { s in
                        guard let z0 = draws.baseAddress, let x0 = rows.baseAddress else { return }
                        IndividualLoop.forEach(count, work: count * d, rng: &rng) { k, stream in
                            let z = UnsafeMutableBufferPointer(start: z0 + k * d, count: d)
                            GaussianNoise.fill(z, rng: &stream)
                            let x = x0 + k * d
                            for j in 0..<d { x[j] = m[j] + s[j] * z[j] }
                        }
                    }
                }
            }
        }
        if evaluateCenter { population.setRow(count, from: center) }
    }
}
