import WeightLabCore

// What each strategy's saved state must hold to continue on a problem of `dimension` weights
// (`AskTellStrategy.mismatch`). Lists that a strategy fills after its first generation (the
// population's fitness, an update rule's moments) may also be empty.

extension GeneticAlgorithm {
    public func mismatch(_ state: State, dimension: Int) -> String? {
        SavedShapes.firstMismatch([("parents", state.parents)], rows: populationSize, dimension: dimension)
            ?? SavedShapes.firstMismatch([
                ("fitness", state.fitness.count, [0, populationSize]), ("sigmas", state.sigmas.count, [populationSize]),
                ("geneScales", state.geneScales?.count ?? dimension, [dimension]),
            ])
    }
}

extension DifferentialEvolution {
    public func mismatch(_ state: State, dimension: Int) -> String? {
        SavedShapes.firstMismatch([("members", state.members)], rows: populationSize, dimension: dimension)
            ?? SavedShapes.firstMismatch([("fitness", state.fitness.count, [0, populationSize])])
    }
}

extension ParticleSwarm {
    public func mismatch(_ state: State, dimension: Int) -> String? {
        SavedShapes.firstMismatch([("positions", state.positions), ("velocities", state.velocities), ("personal bests", state.personalBest)], rows: populationSize, dimension: dimension)
            ?? SavedShapes.firstMismatch([
                ("personal-best fitness", state.personalBestFitness.count, [0, populationSize]),
                ("velocityLimits", state.velocityLimits?.count ?? dimension, [dimension]),
            ])
    }
}

extension CMAES {
    public func mismatch(_ state: State, dimension n: Int) -> String? {
        guard state.parameters == CMAParameters(dimension: n, lambda: samples(dimension: n), separable: false) else {
            return "its strategy parameters are not those of cma-es on \(n) weights"
        }
        return SavedShapes.firstMismatch([
            ("mean", state.mean.count, [n]), ("covariance", state.covariance.count, [n * n]), ("eigenvectors", state.eigenvectors.count, [n * n]),
            ("scales", state.scales.count, [n]), ("evolution path", state.evolutionPath.count, [n]), ("conjugate path", state.conjugatePath.count, [n]),
        ])
    }
}

extension SeparableCMAES {
    public func mismatch(_ state: State, dimension n: Int) -> String? {
        guard state.parameters == CMAParameters(dimension: n, lambda: samples(dimension: n), separable: true) else {
            return "its strategy parameters are not those of sep-cma-es on \(n) weights"
        }
        return SavedShapes.firstMismatch([
            ("mean", state.mean.count, [n]), ("variances", state.variances.count, [n]),
            ("evolution path", state.evolutionPath.count, [n]), ("conjugate path", state.conjugatePath.count, [n]),
        ])
    }
}

extension SNES {
    public func mismatch(_ state: State, dimension: Int) -> String? {
        SavedShapes.firstMismatch([("center", state.center.count, [dimension]), ("sigmas", state.sigmas.count, [dimension])] + state.optimizer.shapes(dimension: dimension))
    }
}

extension OpenAIES {
    public func mismatch(_ state: State, dimension: Int) -> String? {
        SavedShapes.firstMismatch([("center", state.center.count, [dimension])] + state.optimizer.shapes(dimension: dimension))
    }
}

extension PGPE {
    public func mismatch(_ state: State, dimension: Int) -> String? {
        SavedShapes.firstMismatch([("center", state.center.count, [dimension]), ("sigmas", state.sigmas.count, [dimension])] + state.optimizer.shapes(dimension: dimension))
    }
}

extension CenterUpdate.State {
    /// The update rule's moments: empty before the first update, one value per weight after.
    fileprivate func shapes(dimension: Int) -> [(name: String, count: Int, allowed: [Int])] {
        [("center update's first moments", first.count, [0, dimension]), ("center update's second moments", second.count, [0, dimension])]
    }
}
