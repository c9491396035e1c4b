import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport
@testable import WeightLabEvolutionary

/// PSO's velocity and position update (Shi & Eberhart, 1998: v ← w·v + c₁r₁(p − x) +
/// c₂r₂(g − x), x ← x + v; the clamp |v| ≤ vmax of Eberhart & Shi, 2000) and its bookkeeping
/// of personal and leader bests, recomputed in Double from planted positions, velocities and
/// bests.
///
/// The uniforms r₁, r₂ are replayed from the stream discipline `IndividualLoop` documents (one
/// fork of the caller's stream, child stream `split(i)` for particle i) and the swarm's use of
/// it: one 64-bit word per weight, r₁ from its top 24 bits and r₂ from bits 16–39.
@Suite struct ParticleSwarmStepReferenceTests {
    /// r₁, r₂ for `particles` × `dimension` weights, as the next `ask` on `rng` draws them.
    static func uniforms(_ rng: RandomStream, particles: Int, dimension: Int) -> [[(Double, Double)]] {
        var parent = rng
        let base = parent.fork()
        return (0..<particles).map { i in
            var stream = base.split(i)
            return (0..<dimension).map { _ in
                let bits = stream.next()
                return (Double(bits >> 40) / 16_777_216, Double((bits >> 16) & 0xFF_FFFF) / 16_777_216)
            }
        }
    }

    static func row(_ m: PopulationMatrix, _ i: Int) -> [Double] {
        (0..<m.dimension).map { Double(m.values[i * m.dimension + $0]) }
    }

    /// Runs one velocity update from a planted swarm and compares it with the formula for
    /// inertia `w`, leaders `leaders` and clamp `vmax`.
    static func checkUpdate(_ swarm: ParticleSwarm, _ state: inout ParticleSwarm.State, w: Double, leaders: [Int], vmax: Double, rng: inout RandomStream) -> Int {
        let p = swarm.populationSize
        let d = state.positions.dimension
        let r = Self.uniforms(rng, particles: p, dimension: d)
        let before = state
        var population = PopulationMatrix(count: p, dimension: d)
        swarm.ask(&state, into: &population, rng: &rng)
        var clampedCount = 0
        for i in 0..<p {
            let x = row(before.positions, i), v = row(before.velocities, i)
            let best = row(before.personalBest, i), leader = row(before.personalBest, leaders[i])
            for j in 0..<d {
                var velocity = w * v[j] + Double(swarm.cognitive) * r[i][j].0 * (best[j] - x[j]) + Double(swarm.social) * r[i][j].1 * (leader[j] - x[j])
                if abs(velocity) > vmax {
                    velocity = velocity > 0 ? vmax : -vmax
                    clampedCount += 1
                }
                #expect(isApproximatelyEqual(Double(state.velocities.values[i * d + j]), velocity, absolute: 1e-6), "v[\(i)][\(j)] = \(state.velocities.values[i * d + j]), expected \(velocity)")
                #expect(isApproximatelyEqual(Double(population.values[i * d + j]), x[j] + velocity, absolute: 1e-6), "x[\(i)][\(j)]")
            }
        }
        var fitness = [Float](repeating: 0, count: p)
        for i in 0..<p { fitness[i] = before.personalBestFitness[i] + (i % 2 == 0 ? -1 : 1) }
        let priced = population
        swarm.tell(&state, population: &population, fitness: fitness)
        // A particle's best moves to its new position only when it improved on it.
        for i in 0..<p {
            let improved = fitness[i] < before.personalBestFitness[i]
            #expect(state.personalBestFitness[i] == (improved ? fitness[i] : before.personalBestFitness[i]), "f(p[\(i)])")
            #expect(row(state.personalBest, i) == (improved ? row(priced, i) : row(before.personalBest, i)), "p[\(i)]")
            #expect(row(state.positions, i) == row(priced, i), "x[\(i)]")
        }
        return clampedCount
    }

    /// A planted swarm of 5 particles on 4 weights: positions, velocities and personal bests
    /// all distinct, fitness of the personal bests chosen so particle 3 leads.
    static func planted(_ swarm: ParticleSwarm, rng: inout RandomStream) throws -> ParticleSwarm.State {
        let (p, d) = (5, 4)
        let problem = try Problem(function: try AnalyticFunction(.sphere, dimension: d), start: [0, 0, 0, 0], spread: 1)
        var state = try swarm.initialState(problem, from: [0, 0, 0, 0], rng: &rng)
        for i in 0..<p {
            for j in 0..<d {
                let k = Float(i * d + j)
                state.positions.values[i * d + j] = sin(k)
                state.velocities.values[i * d + j] = 0.3 * cos(1.7 * k)
                state.personalBest.values[i * d + j] = sin(k) + 0.5 * cos(2.3 * k + 1)
            }
        }
        state.personalBestFitness = [0.9, 0.4, 0.7, 0.1, 0.5]
        return state
    }

    /// Constant inertia (SPSO's w = 0.7298, c₁ = c₂ = 1.49618) with a global leader and a
    /// clamp of 0.25, which some components reach and others do not.
    @Test func globalBestUpdateWithInertiaAndClamp() throws {
        let swarm = try ParticleSwarm(populationSize: 5, velocityClamp: 0.25)
        var rng = RandomStream(seed: 1998)
        var state = try Self.planted(swarm, rng: &rng)
        let clamped = Self.checkUpdate(swarm, &state, w: Double(Float(0.7298)), leaders: [3, 3, 3, 3, 3], vmax: 0.25, rng: &rng)
        #expect(clamped > 0 && clamped < 20, "\(clamped) of 20 components clamped: the test must see both cases")
    }

    /// Shi & Eberhart's linearly decreasing inertia, 0.9 → 0.4 over 10 generations, at
    /// generation 4 (w = 0.9 − 0.5·4/10 = 0.7), with ring leaders (best of i − 1, i, i + 1)
    /// and no clamp; then a second update from the bests the first one left.
    @Test func decreasingInertiaWithRingLeaders() throws {
        let swarm = try ParticleSwarm(populationSize: 5, inertia: 0.9, finalInertia: 0.4, inertiaGenerations: 10, topology: .ring)
        var rng = RandomStream(seed: 2002)
        var state = try Self.planted(swarm, rng: &rng)
        state.generation = 4
        // Fitness [0.9, 0.4, 0.7, 0.1, 0.5] on a ring of 5.
        _ = Self.checkUpdate(swarm, &state, w: 0.9 - 0.5 * 0.4, leaders: [1, 1, 3, 3, 3], vmax: .infinity, rng: &rng)
        // The bests are now [−0.1, 0.4, −0.3, 0.1, −0.5]: the even particles improved by 1.
        let bests: [Float] = [-0.1, 0.4, -0.3, 0.1, -0.5]
        for i in 0..<5 { #expect(isApproximatelyEqual(state.personalBestFitness[i], bests[i], absolute: 1e-6)) }
        _ = Self.checkUpdate(swarm, &state, w: 0.9 - 0.5 * 0.5, leaders: [4, 2, 2, 4, 4], vmax: .infinity, rng: &rng)
    }
}
