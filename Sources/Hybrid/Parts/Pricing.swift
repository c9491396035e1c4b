import WeightLabCore
import WeightLabEvolutionary

/// How combiners compare points: their loss on the problem's fitness batch
/// (`Problem.fitnessBatch(rng:)`, what population methods price a generation on), evaluated
/// as one population in parallel and charged to the ledger (one unit per point and sample).
/// Non-finite losses count as +∞.
enum Pricing {
    /// The fitness of every row of `points` on `batch`.
    static func fitness(of points: PopulationMatrix, on batch: Samples, _ problem: Problem) throws -> [Float] {
        var fitness: [Float] = []
        guard points.count > 0 else { return fitness }
        try problem.objective.losses(of: points, on: batch, into: &fitness)
        Fitness.sanitize(&fitness)
        return fitness
    }

    /// The points as the rows of one matrix (each of the problem's dimension).
    static func matrix(_ points: [[Float]], dimension: Int) throws -> PopulationMatrix {
        var matrix = PopulationMatrix(count: points.count, dimension: dimension)
        for (i, point) in points.enumerated() {
            guard point.count == dimension else {
                throw WeightLabError.shape("weights of point \(i)", expected: dimension, actual: point.count)
            }
            matrix.setRow(i, point)
        }
        return matrix
    }
}

extension Problem {
    /// The ledger units `body` charges.
    func unitsCharged<T>(by body: () throws -> T) rethrows -> (result: T, units: Int) {
        let before = ledger.units
        let result = try body()
        return (result, ledger.units - before)
    }
}

extension PopulationMatrix {
    /// Overwrites row `i` with `weights`, throwing unless they have the matrix's dimension.
    mutating func setRow(_ i: Int, checked weights: [Float]) throws {
        guard weights.count == dimension else { throw WeightLabError.shape("refined weights", expected: dimension, actual: weights.count) }
        setRow(i, weights)
    }
}
