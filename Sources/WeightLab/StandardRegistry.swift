extension OptimizerRegistry {
    /// Every optimizer WeightLab ships, by family. Third parties register theirs on a registry of
    /// their own (or on this one before use) with `register(_:family:summary:factory:)`.
    public static let standard: OptimizerRegistry = {
        let registry = OptimizerRegistry()
        GradientFamily.register(in: registry)
        EvolutionaryFamily.register(in: registry)
        HybridFamily.register(in: registry)
        return registry
    }()
}
