import WeightLabCore

/// Runs any optimizer in the principal input subspace of a network (`InputSubspace`): the
/// first dense layer moves only along the k principal directions of the training inputs
/// (optionally whitened), every other weight as usual, so the inner optimizer searches
/// k·units + (the other weights) coordinates instead of all of them.
///
///     w(z) = w₀ + B·z,   W₁ = W₁⁰ + U·Z,   U = the top-k eigenvectors of XᵀX/n
///
/// w₀ is the starting point (the initializer's draw, or a previous part's incumbent), and the
/// inner optimizer starts at z = 0. Its population members come from the network's
/// initializer projected into the subspace. The inner optimizer's losses are the network's at
/// w(z), charged at the network's price, so the wrapper is compared at equal cost.
///
/// This is subspace search in the spirit of random-subspace and low-dimensional
/// neuroevolution (Li et al., "Measuring the Intrinsic Dimension of Objective Landscapes",
/// ICLR 2018) with the subspace chosen from the data instead of at random: ∇_{W₁}f = Xᵀδ lies
/// in the span of the inputs, and whitening (p = 1) is the input-side factor of K-FAC's
/// preconditioner (Martens & Grosse, ICML 2015). On issue 5's Fashion-MNIST benchmark it is
/// what lifts a gradient-free method above Adam on the same data (docs/hybrid.md).
public struct PrincipalSubspace: CombiningOptimizer {
    /// The optimizer that moves the coordinates z.
    public let inner: AnyWeightOptimizer
    /// k, the input directions the first layer moves in.
    public let components: Int
    /// p ∈ [0, 1]: 0 orthonormal directions, 1 every direction scaled to move the
    /// pre-activations alike (see `InputSubspace.principal`). Default 0.5, the best measured on
    /// Fashion-MNIST with fixed and with resampled fitness subsets alike.
    public let whitening: Float
    /// Training inputs the second moment is estimated from (the first ones of the training set).
    public let basisSamples: Int

    public var name: String { "principal-subspace" }
    public var parts: [AnyWeightOptimizer] { [inner] }

    /// `inner` run in the span of the `components` principal input directions.
    public init(_ inner: any WeightOptimizer, components: Int = 64, whitening: Float = 0.5, basisSamples: Int = 10_000) throws {
        self.inner = AnyWeightOptimizer(inner)
        self.components = try Parameters.components.checked(components)
        self.whitening = try Parameters.whitening.checked(whitening)
        self.basisSamples = try Parameters.basisSamples.checked(basisSamples)
    }

    public struct State: Codable, Sendable {
        /// The inner optimizer's state, over the coordinates z.
        public var inner: AnyWeightOptimizer.State
        /// The map from z to the network's weights.
        public let subspace: InputSubspace
        /// The problem the inner optimizer works on, rebuilt after decoding.
        var view: SubspaceView?

        /// What a checkpoint keeps; `encode(to:)` is synthesized from it.
        private enum CodingKeys: String, CodingKey { case inner, subspace }

        init(inner: AnyWeightOptimizer.State, subspace: InputSubspace, view: SubspaceView) {
            self.inner = inner
            self.subspace = subspace
            self.view = view
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            inner = try c.decode(AnyWeightOptimizer.State.self, forKey: .inner)
            subspace = try c.decode(InputSubspace.self, forKey: .subspace)
            view = nil
        }
    }

    public func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State {
        guard let network = (problem.objective as? NetworkObjective)?.network else {
            throw WeightLabError(.unsupported, "\(name) needs a network to train (its first layer moves in the inputs' principal subspace), not an analytic function")
        }
        let subspace = try InputSubspace.principal(
            of: problem.training, network: network, origin: initial, components: components,
            whitening: whitening, sampleLimit: basisSamples)
        let view = try SubspaceView(problem, subspace)
        let origin = [Float](repeating: 0, count: subspace.dimension)
        return State(inner: try inner.start(view.problem, from: origin, run: &run), subspace: subspace, view: view)
    }

    public func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        if state.view == nil { try checkFits(state, problem) }
        let view = try state.view.flatMap { $0.serves(problem) ? $0 : nil } ?? SubspaceView(problem, state.subspace)
        state.view = view
        var report = try inner.step(&state.inner, view.problem, run: &run)
        report.part = partLabel("subspace", report)
        return report
    }

    /// A saved state's subspace must map onto the problem's weights through the network's
    /// first layer, and its inner incumbent must have the subspace's coordinates.
    public func mismatch(_ state: State, _ problem: Problem) -> String? {
        let subspace = state.subspace
        if let first = (problem.objective as? NetworkObjective)?.network.layouts.first,
           (subspace.inputs, subspace.units, subspace.offset) != (first.inputWidth, first.outputWidth, first.parameterOffset) {
            return "its subspace moves a \(subspace.inputs) × \(subspace.units) layer at weight \(subspace.offset), the network's first layer is \(first.inputWidth) × \(first.outputWidth) at \(first.parameterOffset)"
        }
        return SavedShapes.firstMismatch([
            ("subspace origin", state.subspace.origin.count, [problem.dimension]),
            ("inner incumbent", inner.incumbent(state.inner).count, [state.subspace.dimension]),
        ])
    }

    public func incumbent(_ state: State) -> [Float] {
        state.subspace.weights(at: inner.incumbent(state.inner))
    }
}

/// The reparameterized problem the inner optimizer of a `PrincipalSubspace` steps: the
/// original's data seen through a `SubspaceObjective`. Not part of a checkpoint; a state
/// rebuilds it on its first step after decoding.
final class SubspaceView: @unchecked Sendable {
    let problem: Problem
    private weak var original: Problem?

    init(_ original: Problem, _ subspace: InputSubspace) throws {
        let objective = try SubspaceObjective(original.objective, through: subspace)
        let draw = original.sampleWeights
        problem = Problem(reparameterizing: original, objective: objective) { rng in
            subspace.coordinates(of: draw(&rng))
        }
        self.original = original
    }

    /// Whether this view was made for `problem`.
    func serves(_ problem: Problem) -> Bool { original === problem }
}

extension PrincipalSubspace {
    /// The wrapper's parameters.
    enum Parameters {
        static let components = Parameter("components", default: 64, .within(1...100_000), "k, at most the input width")
        static let whitening = Parameter("whitening", default: Float(0.5), .unit, "p ∈ [0, 1]: direction c scaled by (λ̄/λ_c)^(p/2); 0 orthonormal, 1 every direction moves the pre-activations alike; 0.5 measured best with fixed and resampled fitness")
        static let basisSamples = Parameter("basisSamples", default: 10_000, .atLeast(1), "training inputs (the first ones) the second moment XᵀX/n is estimated from")
        static let infos = [
            PartParameters.part("inner", "the optimizer run in the subspace", example: #"{"optimizer": "adam"}"#),
            components.info.withExample("1"), whitening.info, basisSamples.info,
        ]
    }

    /// Reads `Parameters.infos`.
    init(parameters p: ParameterReader, registry: OptimizerRegistry) throws {
        let spec = try p.requiredPart("inner", example: "{\"optimizer\": \"openai-es\"}")
        try self.init(
            try registry.part(spec, kind: .any, for: "principal-subspace"),
            components: try p.value(Parameters.components), whitening: try p.value(Parameters.whitening),
            basisSamples: try p.value(Parameters.basisSamples))
    }
}
