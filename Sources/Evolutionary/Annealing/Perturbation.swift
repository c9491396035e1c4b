import WeightLabCore

/// How simulated annealing proposes a neighbour: noise of scale s added to every weight, or
/// to a random subset of ⌈fraction·n⌉ weights (drawn with replacement), which keeps a move
/// on a 25,000-weight network local enough to be accepted.
public struct Perturbation: Sendable, Equatable, Codable {
    /// The noise distribution.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// s·N(0, 1): the classical (Boltzmann) annealing move.
        case gaussian
        /// s·Cauchy(0, 1): heavy-tailed, occasional long jumps (fast annealing, Szu & Hartley, 1987).
        case cauchy
    }

    public var kind: Kind
    /// Share of the weights perturbed per move, in (0, 1].
    public var fraction: Float

    public init(kind: Kind = .gaussian, fraction: Float = Parameters.fraction.defaultValue) throws {
        guard fraction.isFinite, fraction > 0, fraction <= 1 else {
            throw WeightLabError.parameter("moveFraction", fraction, allowed: "a share in (0, 1]")
        }
        self.kind = kind
        self.fraction = fraction
    }

    /// How many weights a move of a `dimension`-weight vector changes.
    public func movedCount(dimension: Int) -> Int {
        min(dimension, max(1, Int((fraction * Float(dimension)).rounded(.up))))
    }

    /// Perturbs `weights` with scale `scale`, times `scales[i]` for weight i when given (each
    /// weight's initializer scale on a network). When a subset is moved, the changed indices
    /// and their old values are appended to `undo` (cleared first) so a rejected move can be
    /// reverted without copying the vector; a move of every weight leaves `undo` empty.
    public func apply(
        to weights: UnsafeMutableBufferPointer<Float>, scale: Float, scales: UnsafePointer<Float>? = nil, undo: inout [(index: Int, value: Float)],
        rng: inout RandomStream
    ) {
        undo.removeAll(keepingCapacity: true)
        let n = weights.count
        let moved = movedCount(dimension: n)
        if moved == n {
            switch (kind, scales) {
            case (.gaussian, nil): rng.addNormal(to: weights, standardDeviation: scale)
            case (.gaussian, let scales?): for i in 0..<n { weights[i] += scale * scales[i] * rng.normal() }
            case (.cauchy, _): for i in 0..<n { weights[i] += scale * (scales?[i] ?? 1) * rng.cauchy() }
            }
            return
        }
        for _ in 0..<moved {
            let i = rng.index(below: n)
            undo.append((i, weights[i]))
            weights[i] += scale * (scales?[i] ?? 1) * (kind == .gaussian ? rng.normal() : rng.cauchy())
        }
    }

    /// Reverts a subset move recorded in `undo` (in reverse, so repeated indices end at their
    /// first old value).
    public static func revert(_ weights: UnsafeMutableBufferPointer<Float>, undo: [(index: Int, value: Float)]) {
        for entry in undo.reversed() { weights[entry.index] = entry.value }
    }
}

extension Perturbation {
    /// The annealing move's parameters.
    public enum Parameters {
        public static let kind = Parameter("move", default: Kind.gaussian.rawValue, .oneOf(Kind.allCases.map(\.rawValue)), "`gaussian` or `cauchy`")
        public static let fraction = Parameter("moveFraction", default: Float(1), .within(1e-9...1), "share of weights per move")
        public static let infos = [kind.info, fraction.info]
    }

    /// Reads `move` and `moveFraction`.
    public init(parameters p: ParameterReader) throws {
        try self.init(kind: Kind(rawValue: try p.value(Parameters.kind)) ?? .gaussian, fraction: try p.value(Parameters.fraction))
    }
}
