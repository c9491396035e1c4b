import WeightLabCore

/// Particle swarm optimization (Kennedy & Eberhart, 1995) over the weight vector.
///
/// Each particle i has a position xᵢ, a velocity vᵢ, its best position so far pᵢ, and a
/// leader gᵢ: the best pⱼ of the whole swarm (`global`, "gbest") or of its ring neighbours
/// i − 1, i, i + 1 (`ring`, "lbest", Kennedy & Mendes, 2002 — slower to converge, harder to
/// trap). Per generation and per weight, with fresh r₁, r₂ ~ U[0, 1):
///
///     v ← w·v + c₁r₁(p − x) + c₂r₂(g − x),   then |v| ≤ vmax if clamped,   x ← x + v
///
/// - The inertia w is constant, or decreases linearly from `inertia` to `finalInertia` over
///   `inertiaGenerations` generations (Shi & Eberhart, 1998: 0.9 → 0.4) and stays there.
/// - With Clerc's constriction (Clerc & Kennedy, 2002) the update is
///   v ← χ[v + c₁r₁(p − x) + c₂r₂(g − x)] with χ = 2/|2 − φ − √(φ² − 4φ)|, φ = c₁ + c₂ > 4;
///   c₁ = c₂ = 2.05 gives χ ≈ 0.7298, which is exactly the default inertia form below
///   (w = 0.7298, c₁ = c₂ = 1.49618, SPSO 2007/2011's values).
/// - Velocities start at zero; positions are the starting weights plus draws of
///   `problem.sampleWeights` (the network's initializer), which keeps a swarm of networks in
///   the region where gradients and activations are well scaled. With `initialSpread` s < 1,
///   particle i > 0 starts at x₀ + s·(dᵢ − x₀) for an initializer draw dᵢ: the swarm is a cloud
///   around the starting point rather than independent networks, which in network-sized
///   dimensions keeps the pulls (p − x) and (g − x) small and local (see docs/evolutionary.md).
///   Left out, s is 0.1 on a network (a cloud a tenth of each layer's initializer scale wide)
///   and 1 elsewhere.
///
/// Search box: a position coordinate that leaves it is set to the bound and its velocity
/// component to zero (absorbing walls, Robinson & Rahmat-Samii, 2004).
///
/// Velocity clamp: `velocityClamp`, or without one 0.2·(high − low) of the box's mean width
/// (Eberhart & Shi, 2000, clamp at a share of the dynamic range), on a network each weight's
/// initializer scale (tighter clamps do better on a fixed fitness subset and far worse on a
/// resampled one: docs/domains.md), and none otherwise.
/// Cost per generation: `populationSize` evaluations.
public struct ParticleSwarm: AskTellStrategy {
    /// Positions are clipped to a search box (and `tell` zeroes the clipped velocities).
    public var boxHandling: BoxHandling { .clip }

    /// Who a particle follows.
    public enum Topology: String, Sendable, Codable, CaseIterable {
        /// The best position of the whole swarm.
        case global = "gbest"
        /// The best of itself and its two ring neighbours.
        case ring
    }

    /// Particles (≥ 2). Default 40 (SPSO 2007).
    public var populationSize: Int
    /// Inertia weight w (start value when decreasing). Default 0.7298.
    public var inertia: Float
    /// When set, w decreases linearly to this value. Default nil (constant).
    public var finalInertia: Float?
    /// Generations over which w decreases. Default 1000.
    public var inertiaGenerations: Int
    /// c₁, pull toward the particle's own best. Default 1.49618 (2.05 with constriction).
    public var cognitive: Float
    /// c₂, pull toward the leader. Default 1.49618 (2.05 with constriction).
    public var social: Float
    /// Use Clerc's constriction factor instead of the inertia weight. Default false.
    public var constriction: Bool
    /// Leader topology. Default `global`.
    public var topology: Topology
    /// Largest |velocity| per weight; nil for no clamp. Default nil.
    public var velocityClamp: Float?
    /// s ∈ (0, 1]: how far from the starting point toward independent initializer draws the
    /// particles start. Default nil: 0.1 on a network, else 1 (independent draws).
    public var initialSpread: Float?

    public var name: String { "pso" }

    public init(
        populationSize: Int = Parameters.populationSize.defaultValue, inertia: Float = Parameters.inertia.defaultValue,
        finalInertia: Float? = nil, inertiaGenerations: Int = Parameters.inertiaGenerations.defaultValue,
        cognitive: Float? = nil, social: Float? = nil, constriction: Bool = false, topology: Topology = .global,
        velocityClamp: Float? = nil, initialSpread: Float? = nil
    ) throws {
        self.populationSize = try Parameters.populationSize.checked(populationSize)
        self.inertia = try Parameters.inertia.checked(inertia)
        self.finalInertia = try Parameters.finalInertia.checked(finalInertia)
        self.inertiaGenerations = try Parameters.inertiaGenerations.checked(inertiaGenerations)
        let c1 = try Parameters.cognitive.checked(cognitive ?? (constriction ? 2.05 : 1.49618))
        let c2 = try Parameters.social.checked(social ?? (constriction ? 2.05 : 1.49618))
        if constriction, c1 + c2 <= 4 {
            throw WeightLabError.parameter("cognitive + social", c1 + c2, allowed: "a sum > 4 with constriction (Clerc & Kennedy, 2002)")
        }
        self.cognitive = c1
        self.social = c2
        self.velocityClamp = try Parameters.velocityClamp.checked(velocityClamp)
        self.initialSpread = try Parameters.initialSpread.checked(initialSpread)
        self.constriction = constriction
        self.topology = topology
    }

    public struct State: Codable, Sendable {
        /// Current positions.
        public var positions: PopulationMatrix
        /// Current velocities.
        public var velocities: PopulationMatrix
        /// Each particle's best position so far.
        public var personalBest: PopulationMatrix
        /// Their fitness; empty until the first generation is priced.
        public var personalBestFitness: [Float]
        /// Velocity updates done.
        public var generation: Int
        /// The clamp in force: `velocityClamp`, or 0.2·(high − low) of the problem's box when
        /// that is nil (nil: no clamp).
        public var velocityLimit: Float?
        /// Per weight, the clamp on a network when `velocityClamp` is nil: each weight's
        /// initializer scale times `Parameters.layerShare` (nil elsewhere, where `velocityLimit` holds).
        public var velocityLimits: [Float]? = nil
        var leaders = Scratch<Int>()
    }

    public func populationSize(dimension: Int) -> Int { populationSize }

    /// Positions, velocities and personal bests (three P × D matrices beside the population
    /// being priced), and per particle its best fitness and leader.
    public func stateParts(dimension: Int) -> [(String, Int?)] {
        [
            ("positions, velocities and personal bests 3 × \(populationSize) × \(dimension) × 4 bytes",
             MemoryEstimate.bytes(3, populationSize, dimension, 4)),
            ("fitness and leaders, 12 bytes per particle", MemoryEstimate.bytes(populationSize, 12)),
        ]
    }

    public func initialState(_ problem: Problem, from initial: [Float], rng: inout RandomStream) throws -> State {
        var positions = try initialPopulation(problem, from: initial, count: populationSize, rng: &rng)
        let scales = problem.networkScales
        let s = initialSpread ?? (scales == nil ? 1 : Parameters.networkSpread)
        if s < 1 {
            let d = problem.dimension
            positions.values.withUnsafeMutableBufferPointer { x in
                for i in 1..<populationSize {
                    for j in 0..<d { x[i * d + j] = initial[j] + s * (x[i * d + j] - initial[j]) }
                }
            }
        }
        let zero = PopulationMatrix(count: populationSize, dimension: problem.dimension)
        return State(positions: positions, velocities: zero, personalBest: positions, personalBestFitness: [], generation: 0,
            velocityLimit: velocityClamp ?? problem.box.map { 0.2 * $0.meanWidth },
            velocityLimits: velocityClamp == nil ? scales?.map { Parameters.layerShare * $0 } : nil)
    }

    /// Clerc's constriction factor χ for φ = c₁ + c₂ > 4.
    public static func constrictionFactor(cognitive: Float, social: Float) -> Float {
        let phi = Double(cognitive + social)
        return Float(2 / abs(2 - phi - (phi * phi - 4 * phi).squareRoot()))
    }

    /// The multiplier of the old velocity and of the two attractions at `generation`.
    func coefficients(generation: Int) -> (velocity: Float, cognitive: Float, social: Float) {
        if constriction {
            let chi = Self.constrictionFactor(cognitive: cognitive, social: social)
            return (chi, chi * cognitive, chi * social)
        }
        var w = inertia
        if let finalInertia {
            let progress = min(1, Float(generation) / Float(inertiaGenerations))
            w = inertia + (finalInertia - inertia) * progress
        }
        return (w, cognitive, social)
    }

    public func ask(_ state: inout State, into population: inout PopulationMatrix, rng: inout RandomStream) {
        guard state.personalBestFitness.count == populationSize else {
            population.values = state.positions.values
            return
        }
        let p = populationSize
        let d = population.dimension
        chooseLeaders(state.personalBestFitness, into: &state.leaders.values)
        let leaders = state.leaders.values
        let (a, b1, b2) = coefficients(generation: state.generation)
        let clamp = state.velocityLimit ?? velocityClamp ?? .infinity
        let perWeight = state.velocityLimits ?? []
        perWeight.withUnsafeBufferPointer { perWeight in
            let limits = perWeight.isEmpty ? nil : perWeight.baseAddress
            state.positions.values.withUnsafeBufferPointer { xs in
                state.personalBest.values.withUnsafeBufferPointer { ps in
                    state.velocities.values.withUnsafeMutableBufferPointer { vs in
                        population.values.withUnsafeMutableBufferPointer { out in
                            guard let x0 = xs.baseAddress, let p0 = ps.baseAddress, let v0 = vs.baseAddress, let o0 = out.baseAddress else { return }
                            IndividualLoop.forEach(p, work: p * d, rng: &rng) { i, stream in
                                let x = x0 + i * d
                                let best = p0 + i * d
                                let leader = p0 + leaders[i] * d
                                let v = v0 + i * d
                                let next = o0 + i * d
                                var local = stream  // a local copy keeps the generator's state in registers
                                defer { stream = local }
                                for j in 0..<d {
                                    let bits = local.next()
                                    let r1 = Float(bits >> 40) * 0x1p-24
                                    let r2 = Float((bits >> 16) & 0xFF_FFFF) * 0x1p-24
                                    var velocity = a * v[j] + b1 * r1 * (best[j] - x[j]) + b2 * r2 * (leader[j] - x[j])
                                    let limit = limits?[j] ?? clamp
                                    velocity = min(limit, max(-limit, velocity))
                                    v[j] = velocity
                                    next[j] = x[j] + velocity
                                }
                            }
                        }
                    }
                }
            }
        }
        state.generation += 1
    }

    /// Zeroes every velocity component whose move was cut short: where the priced position is
    /// not x + v (a box's wall repaired it). Unrepaired positions are exactly x + v, so runs
    /// without a box are unchanged.
    static func absorb(_ velocities: inout PopulationMatrix, from old: PopulationMatrix, to new: PopulationMatrix) {
        guard old.count == new.count, old.dimension == new.dimension else { return }
        velocities.values.withUnsafeMutableBufferPointer { v in
            for k in v.indices where old.values[k] + v[k] != new.values[k] { v[k] = 0 }
        }
    }

    /// Each particle's leader: the index of the best personal best in its neighbourhood.
    func chooseLeaders(_ fitness: [Float], into leaders: inout [Int]) {
        let p = fitness.count
        if leaders.count != p { leaders = [Int](repeating: 0, count: p) }
        switch topology {
        case .global:
            let best = Fitness.argmin(fitness)
            for i in 0..<p { leaders[i] = best }
        case .ring:
            for i in 0..<p {
                let left = (i + p - 1) % p
                let right = (i + 1) % p
                var best = i
                if fitness[left] < fitness[best] { best = left }
                if fitness[right] < fitness[best] { best = right }
                leaders[i] = best
            }
        }
    }

    public func tell(_ state: inout State, population: inout PopulationMatrix, fitness: [Float]) {
        Self.absorb(&state.velocities, from: state.positions, to: population)
        state.positions.exchangeValues(with: &population)
        guard state.personalBestFitness.count == populationSize else {
            state.personalBest = state.positions
            state.personalBestFitness = fitness
            return
        }
        for i in 0..<populationSize where fitness[i] < state.personalBestFitness[i] {
            state.personalBestFitness[i] = fitness[i]
            state.personalBest.copyRow(i, of: state.positions, to: i)
        }
    }
}

extension ParticleSwarm {
    /// The swarm's parameters.
    public enum Parameters {
        public static let populationSize = Parameter("populationSize", default: 40, .within(2...1_000_000), "particles (SPSO 2007)")
        public static let inertia = Parameter("inertia", default: Float(0.7298), .within(-1...2), "w (start value when decreasing)")
        public static let finalInertia = Parameter<Float?>("finalInertia", absent: "none: constant", .within(-1...2), "w decreases linearly to this (Shi & Eberhart: 0.9 → 0.4)")
        public static let inertiaGenerations = Parameter("inertiaGenerations", default: 1000, .atLeast(1), "generations of that decrease")
        public static let cognitive = Parameter<Float?>("cognitive", absent: "1.49618 (2.05 with constriction)", .within(0...10), "c₁, the pull to a particle's own best")
        public static let social = Parameter<Float?>("social", absent: "1.49618 (2.05 with constriction)", .within(0...10), "c₂, the pull to the neighbourhood's best")
        public static let constriction = Parameter("constriction", default: false, .either, "Clerc's χ = 2/|2 − φ − √(φ² − 4φ)| instead of w (needs c₁ + c₂ > 4)")
        public static let topology = Parameter("topology", default: "gbest", .oneOf(Topology.allCases.map(\.rawValue)), "`gbest` or `ring`")
        public static let velocityClamp = Parameter<Float?>(
            "velocityClamp", absent: "0.2·(high − low) with a box, each weight's initializer scale on a network, else none", .positive,
            "largest |v| per weight (Eberhart & Shi: a share of the domain's width)")
        public static let initialSpread = Parameter<Float?>(
            "initialSpread", absent: "0.1 on a network, else 1", Allowed("a number in (0, 1]") { $0 >= .leastNormalMagnitude && $0 <= 1 },
            "s: particle i > 0 starts at x₀ + s·(dᵢ − x₀), dᵢ an initializer draw")
        /// The clamp on a network, in units of each weight's initializer scale (docs/domains.md).
        static let layerShare: Float = 1
        /// s on a network (docs/domains.md).
        static let networkSpread: Float = 0.1
        public static let infos = [
            populationSize.info, inertia.info, finalInertia.info, inertiaGenerations.info, cognitive.info, social.info,
            constriction.info, topology.info, velocityClamp.info, initialSpread.info,
        ]
    }

    /// Reads `Parameters.infos`.
    public init(parameters p: ParameterReader) throws {
        try self.init(
            populationSize: try p.value(Parameters.populationSize), inertia: try p.value(Parameters.inertia),
            finalInertia: try p.value(Parameters.finalInertia), inertiaGenerations: try p.value(Parameters.inertiaGenerations),
            cognitive: try p.value(Parameters.cognitive), social: try p.value(Parameters.social),
            constriction: try p.value(Parameters.constriction), topology: Topology(rawValue: try p.value(Parameters.topology)) ?? .global,
            velocityClamp: try p.value(Parameters.velocityClamp), initialSpread: try p.value(Parameters.initialSpread))
    }
}
