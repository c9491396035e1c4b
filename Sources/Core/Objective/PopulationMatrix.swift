/// A population of weight vectors as one contiguous, row-major `count × dimension` matrix:
/// row `i` is individual `i`. Population methods ask, evaluate and tell on this one buffer,
/// so no weights are copied between individuals and the objective.
public struct PopulationMatrix: Sendable, Equatable, Codable {
    /// Row-major weights, `count × dimension`.
    public var values: [Float]
    /// Individuals (rows).
    public let count: Int
    /// Weights per individual (columns).
    public let dimension: Int

    /// A population of `count` zero vectors.
    public init(count: Int, dimension: Int) {
        self.values = [Float](repeating: 0, count: count * dimension)
        self.count = count
        self.dimension = dimension
    }

    private enum CodingKeys: String, CodingKey { case values, count, dimension }

    /// Decodes a saved population; one whose values do not fill `count × dimension` is an error.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        values = try c.decode([Float].self, forKey: .values)
        count = try c.decode(Int.self, forKey: .count)
        dimension = try c.decode(Int.self, forKey: .dimension)
        guard count >= 0, dimension >= 0, count.multipliedReportingOverflow(by: dimension) == (values.count, false) else {
            throw DecodingError.dataCorruptedError(forKey: .values, in: c, debugDescription: "a \(count) × \(dimension) population holds \(values.count) values")
        }
    }

    /// A population made of the given rows, which must all have the same length.
    public init(rows: [[Float]]) throws {
        let d = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == d }) else {
            throw WeightLabError(.shape, "population rows have different lengths")
        }
        self.values = rows.flatMap { $0 }
        self.count = rows.count
        self.dimension = d
    }

    /// Individual `i` as a new array.
    public func row(_ i: Int) -> [Float] {
        Array(values[(i * dimension)..<((i + 1) * dimension)])
    }

    /// Overwrites individual `i`.
    public mutating func setRow(_ i: Int, _ weights: [Float]) {
        precondition(weights.count == dimension, "row length must equal the population's dimension")
        values.replaceSubrange((i * dimension)..<((i + 1) * dimension), with: weights)
    }

    /// Calls `body` with a mutable pointer to individual `i`'s weights.
    public mutating func withRow<T>(_ i: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws -> T) rethrows -> T {
        let d = dimension
        return try values.withUnsafeMutableBufferPointer { all in
            try body(UnsafeMutableBufferPointer(rebasing: all[(i * d)..<((i + 1) * d)]))
        }
    }
}
