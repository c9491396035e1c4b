/// Measures weights for the trace without charging the ledger: monitoring is not optimization.
/// A `NetworkObjective` is measured with `evaluate(_:on:)` (inference mode, loss and accuracy,
/// uncharged); any other objective with `loss(at:on:)`, its charge taken back.
struct Monitor {
    let objective: any Objective
    let network: NetworkObjective?

    init(_ problem: Problem) {
        objective = problem.objective
        network = problem.objective as? NetworkObjective
    }

    /// Whether evaluations report an accuracy.
    var measuresAccuracy: Bool { network?.lossFunction.measuresAccuracy ?? false }

    /// The loss (and accuracy, for classifiers) of `weights` on `samples`.
    func evaluate(_ weights: [Float], on samples: Samples) throws -> Evaluation {
        if let network { return try network.evaluate(weights, on: samples) }
        let units = objective.ledger.units
        defer { objective.ledger.restore(units) }
        return Evaluation(loss: try objective.loss(at: weights, on: samples), accuracy: nil, count: samples.count)
    }

    /// Batch-norm running statistics, when the objective keeps any.
    var statistics: [Float]? {
        get {
            guard let network, network.network.statisticsCount > 0 else { return nil }
            return network.runningStatistics
        }
        nonmutating set {
            if let network, let newValue { network.runningStatistics = newValue }
        }
    }
}
