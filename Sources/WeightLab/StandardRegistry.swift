extension OptimizerRegistry {
    /// Every optimizer WeightLab ships, by family, built once. Third parties register theirs in a
    /// copy (`var mine = OptimizerRegistry.standard`) with `register(_:family:summary:parameters:factory:)`.
    public static let standard: OptimizerRegistry = {
        var registry = OptimizerRegistry()
        GradientFamily.register(in: &registry)
        EvolutionaryFamily.register(in: &registry)
        HybridFamily.register(in: &registry)
        return registry
    }()
}
