import WeightLabCore

/// The gradient family's registry entries: first-order methods driven by the objective's
/// gradient, and GSL's line-search methods.
///
/// | name | optimizer |
/// | --- | --- |
/// | `gd` | `SGD` on the full batch |
/// | `sgd` | `SGD` on mini-batches (batch size 1: stochastic gradient descent) |
/// | `momentum` | `SGD` with heavy-ball momentum 0.9 |
/// | `nesterov` | `SGD` with Nesterov momentum 0.9 |
/// | `adagrad`, `rmsprop`, `adam`, `adamw`, `clipup` | `AdaGrad`, `RMSprop`, `Adam`, `AdamW`, `ClipUp` |
/// | `cg-fr`, `cg-pr`, `bfgs2`, `steepest-descent` | `LineSearchMinimizer` with that `LineSearchMethod` |
public enum GradientFamily {
    /// The family name entries are registered under.
    public static let family = "gradient"

    /// Adds every gradient optimizer to `registry`.
    public static func register(in registry: inout OptimizerRegistry) {
        let sgdVariants = [
            ("gd", "batch gradient descent: the full batch every step"),
            ("sgd", "stochastic / mini-batch gradient descent (PyTorch SGD)"),
            ("momentum", "SGD with heavy-ball momentum (default 0.9)"),
            ("nesterov", "SGD with Nesterov momentum (default 0.9)"),
        ]
        for (name, summary) in sgdVariants {
            registry.register(name, family: family, summary: summary, parameters: SGD.Parameters.infos(name)) { p, _ in
                try SGD(parameters: p, name: name)
            }
        }
        let rules: [(String, String, [ParameterInfo], OptimizerRegistry.Factory)] = [
            ("adagrad", "AdaGrad: rates scaled by accumulated squared gradients", AdaGrad.Parameters.infos, { p, _ in try AdaGrad(parameters: p) }),
            ("rmsprop", "RMSprop, optionally centered and with momentum", RMSprop.Parameters.infos, { p, _ in try RMSprop(parameters: p) }),
            ("adam", "Adam with bias correction, optional AMSGrad", Adam.Parameters.infos, { p, _ in try Adam(parameters: p) }),
            ("adamw", "AdamW: Adam with decoupled weight decay", AdamW.parameterInfos, { p, _ in try AdamW(parameters: p) }),
            ("clipup", "ClipUp: normalized steps with momentum, clipped to a maximum speed", ClipUp.Parameters.infos, { p, _ in try ClipUp(parameters: p) }),
        ]
        for (name, summary, parameters, factory) in rules {
            registry.register(name, family: family, summary: summary, parameters: parameters, factory: factory)
        }
        let lineSearches: [(LineSearchMethod, String)] = [
            (.conjugateFletcherReeves, "GSL conjugate gradient, Fletcher–Reeves"),
            (.conjugatePolakRibiere, "GSL conjugate gradient, Polak–Ribière"),
            (.bfgs2, "GSL vector BFGS2 (Fletcher's line search)"),
            (.steepestDescent, "GSL steepest descent with adaptive step"),
        ]
        for (method, summary) in lineSearches {
            registry.register(method.rawValue, family: family, summary: summary, parameters: LineSearchMinimizer.Parameters.infos(method)) { p, _ in
                try LineSearchMinimizer(method, parameters: p)
            }
        }
    }
}
