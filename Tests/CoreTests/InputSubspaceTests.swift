import Foundation
import Testing
@testable import WeightLabCore

/// `InputSubspace`: the map w(z) = w₀ + B·z, its adjoint, its least-squares inverse, and the
/// principal directions of the inputs; `SubspaceObjective` prices and differentiates through it.
@Suite struct InputSubspaceTests {
    /// A 3-2-2 network (W₁ 3×2, b₁ 2, W₂ 2×2, b₂ 2: 14 weights) and a basis of two orthogonal
    /// input directions u₁ = (1, 1, 0), u₂ = (0, 0, 2).
    static func smallSubspace() throws -> InputSubspace {
        let network = try Network.perceptron(inputs: 3, hidden: [2], outputs: 2)
        let origin = (0..<network.parameterCount).map { Float($0) / 10 }
        let basis: [Float] = [1, 0, 1, 0, 0, 2]
        return try InputSubspace(origin: origin, basis: basis, components: 2, inputs: 3, units: 2, offset: 0)
    }

    @Test func mapsCoordinatesByTheFormula() throws {
        let s = try Self.smallSubspace()
        #expect(s.dimension == 2 * 2 + 14 - 6)
        let z: [Float] = [1, 2, 3, 4, 0.5, -0.5, 1, 1, 1, 1, 1, 1]
        let w = s.weights(at: z)
        // W₁ = W₁⁰ + U·Z with Z = [[1, 2], [3, 4]]: rows (1,1,0)·Z = (1, 2) twice, (0,0,2)·Z = (6, 8).
        let expected: [Float] = [0 + 1, 0.1 + 2, 0.2 + 1, 0.3 + 2, 0.4 + 6, 0.5 + 8, 0.6 + 0.5, 0.7 - 0.5, 0.8 + 1, 0.9 + 1, 1.0 + 1, 1.1 + 1, 1.2 + 1, 1.3 + 1]
        for i in 0..<14 { #expect(abs(w[i] - expected[i]) < 1e-6, "weight \(i)") }
        #expect(s.weights(at: [Float](repeating: 0, count: s.dimension)) == s.origin)
    }

    /// ⟨B·z, g⟩ = ⟨z, Bᵀ·g⟩ for random z and g: `pullBack` is the adjoint of the linear part.
    @Test func pullBackIsTheAdjoint() throws {
        let s = try Self.smallSubspace()
        var rng = RandomStream(seed: 3)
        for _ in 0..<5 {
            let z = (0..<s.dimension).map { _ in rng.normal() }
            let g = (0..<14).map { _ in rng.normal() }
            let w = s.weights(at: z)
            let left = zip(w, s.origin).enumerated().reduce(Float(0)) { sum, item in sum + (item.element.0 - item.element.1) * g[item.offset] }
            var pulled = [Float](repeating: 0, count: s.dimension)
            g.withUnsafeBufferPointer { gp in pulled.withUnsafeMutableBufferPointer { s.pullBack(gp.baseAddress!, into: $0.baseAddress!) } }
            let right = zip(z, pulled).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(abs(left - right) <= 1e-4 * max(1, abs(left)))
        }
    }

    @Test func coordinatesInvertTheMapInsideTheSubspace() throws {
        let s = try Self.smallSubspace()
        var rng = RandomStream(seed: 5)
        let z = (0..<s.dimension).map { _ in rng.normal() }
        let back = s.coordinates(of: s.weights(at: z))
        for i in 0..<s.dimension { #expect(abs(back[i] - z[i]) < 1e-5, "coordinate \(i)") }
    }

    /// Inputs x = a·e₁ + b·e₂ in four dimensions with E[a²] = 9 and E[b²] = 1 (a, b = ±3, ±1):
    /// the second moment's eigenvalues are 9 and 1 along e₁ and e₂, 0 along e₃, e₄.
    static func planarInputs() -> Samples {
        var features: [Float] = []
        for a: Float in [3, -3] { for b: Float in [1, -1] { features += [a, b, 0, 0] } }
        return Samples(features: features, featureCount: 4, labels: [0, 1, 0, 1])
    }

    @Test func principalDirectionsComeInOrderOfVariance() throws {
        let network = try Network.perceptron(inputs: 4, hidden: [3], outputs: 2)
        let origin = [Float](repeating: 0, count: network.parameterCount)
        let s = try InputSubspace.principal(of: Self.planarInputs(), network: network, origin: origin, components: 2)
        // Columns: e₁ then e₂, signs fixed so the largest entry is positive.
        let expected: [Float] = [1, 0, 0, 1, 0, 0, 0, 0]
        for i in 0..<8 { #expect(abs(s.basis[i] - expected[i]) < 1e-5, "basis entry \(i)") }
        #expect(s.dimension == 2 * 3 + network.parameterCount - 12)
    }

    /// Whitening p = 1 scales direction c by √(λ̄/λ_c) with λ̄ = (9 + 1)/2 = 5.
    @Test func whiteningEqualizesTheDirections() throws {
        let network = try Network.perceptron(inputs: 4, hidden: [3], outputs: 2)
        let origin = [Float](repeating: 0, count: network.parameterCount)
        let s = try InputSubspace.principal(of: Self.planarInputs(), network: network, origin: origin, components: 2, whitening: 1)
        #expect(abs(s.basis[0] - (5 / 9 as Float).squareRoot()) < 1e-5)
        #expect(abs(s.basis[3] - (5 as Float).squareRoot()) < 1e-5)
        let half = try InputSubspace.principal(of: Self.planarInputs(), network: network, origin: origin, components: 2, whitening: 0.5)
        #expect(abs(half.basis[0] - Float(pow(5.0 / 9.0, 0.25))) < 1e-5)
    }

    @Test func rejectsWhatItCannotMap() throws {
        let dense = try Network.perceptron(inputs: 4, hidden: [3], outputs: 2)
        let zeros = [Float](repeating: 0, count: dense.parameterCount)
        expectError(mentioning: ["components", "4 inputs"]) {
            try InputSubspace.principal(of: Self.planarInputs(), network: dense, origin: zeros, components: 5)
        }
        expectError(mentioning: ["whitening"]) {
            try InputSubspace.principal(of: Self.planarInputs(), network: dense, origin: zeros, components: 2, whitening: 2)
        }
        let normalizedFirst = try Network(inputWidth: 4, layers: [.batchNorm, .dense(units: 2)])
        expectError(mentioning: ["first layer is dense"]) {
            try InputSubspace.principal(
                of: Self.planarInputs(), network: normalizedFirst,
                origin: [Float](repeating: 0, count: normalizedFirst.parameterCount), components: 2)
        }
    }
}

@Suite struct SubspaceObjectiveTests {
    static func setting() throws -> (NetworkObjective, SubspaceObjective, Samples) {
        let network = try Network.perceptron(inputs: 12, hidden: [6], outputs: 3, activation: .tanh)
        let base = NetworkObjective(network: network, regularizer: try Regularizer(l2: 0.01))
        let batch = randomClassification(count: 40, features: 12, classes: 3, seed: 6)
        var rng = RandomStream(seed: 2)
        let subspace = try InputSubspace.principal(
            of: batch, network: network, origin: network.initialWeights(.xavierUniform, rng: &rng), components: 4, whitening: 0.5)
        return (base, try SubspaceObjective(base, through: subspace), batch)
    }

    @Test func gradientMatchesFiniteDifferences() throws {
        let (_, objective, batch) = try Self.setting()
        var rng = RandomStream(seed: 8)
        let z = (0..<objective.dimension).map { _ in 0.3 * rng.normal() }
        let error = try GradientCheck(objective: objective, batch: batch).relativeError(at: z)
        #expect(error < 3e-3)
    }

    @Test func pricesAPopulationAsTheBaseObjectiveDoesItsWeights() throws {
        let (base, objective, batch) = try Self.setting()
        var rng = RandomStream(seed: 4)
        let rows = (0..<5).map { _ in (0..<objective.dimension).map { _ in 0.2 * rng.normal() } }
        var losses: [Float] = []
        try objective.losses(of: PopulationMatrix(rows: rows), on: batch, into: &losses)
        #expect(base.ledger.units == 5 * 40, "charged at the network's price")
        for (i, z) in rows.enumerated() {
            let direct = try base.loss(at: objective.subspace.weights(at: z), on: batch)
            #expect(abs(losses[i] - direct) <= 1e-5 * abs(direct), "individual \(i)")
        }
    }
}
