import WeightLabCore

/// What `DiagonalSampling` and `MirroredSampling` share: `count` rows of standard-normal noise,
/// each drawn from its own stream (so the population does not depend on the thread count) and
/// turned into individuals by the sampler, then the center as one more row when it is priced.
enum NoiseRows {
    /// Draws `count` rows into `noise` (count × dimension, resized as needed), hands each row k
    /// to `write` with the center μ, the scales s and the population's storage, and copies the
    /// center into row `centerRow` when there is one.
    static func draw(
        _ count: Int, work: Int, center: [Float], scales: [Float], centerRow: Int?,
        noise: inout [Float], into population: inout PopulationMatrix, rng: inout RandomStream,
        write: (_ k: Int, _ z: UnsafeMutableBufferPointer<Float>, _ mu: UnsafeBufferPointer<Float>, _ s: UnsafeBufferPointer<Float>, _ rows: UnsafeMutablePointer<Float>) -> Void
    ) {
        let d = population.dimension
        if noise.count != count * d { noise = [Float](repeating: 0, count: count * d) }
        noise.withUnsafeMutableBufferPointer { noise in
            population.values.withUnsafeMutableBufferPointer { rows in
                center.withUnsafeBufferPointer { mu in
                    scales.withUnsafeBufferPointer { s in
                        guard let z0 = noise.baseAddress, let r0 = rows.baseAddress else { return }
                        IndividualLoop.forEach(count, work: work, rng: &rng) { k, stream in
                            let z = UnsafeMutableBufferPointer(start: z0 + k * d, count: d)
                            stream.fillNormal(z)
                            write(k, z, mu, s, r0)
                        }
                    }
                }
            }
        }
        if let centerRow { population.setRow(centerRow, from: center) }
    }
}
