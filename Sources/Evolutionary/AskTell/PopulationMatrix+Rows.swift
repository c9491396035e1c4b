import WeightLabCore

extension PopulationMatrix {
    /// Copies row `i` into `destination` (resized to the dimension if needed).
    func copyRow(_ i: Int, into destination: inout [Float]) {
        let d = dimension
        if destination.count != d { destination = [Float](repeating: 0, count: d) }
        values.withUnsafeBufferPointer { all in
            destination.withUnsafeMutableBufferPointer { out in
                guard let base = all.baseAddress, let target = out.baseAddress, d > 0 else { return }
                target.update(from: base + i * d, count: d)
            }
        }
    }

    /// Overwrites row `i` with `source`, which has `dimension` entries.
    mutating func setRow(_ i: Int, from source: [Float]) {
        let d = dimension
        values.withUnsafeMutableBufferPointer { all in
            source.withUnsafeBufferPointer { input in
                guard let base = all.baseAddress, let from = input.baseAddress, d > 0 else { return }
                (base + i * d).update(from: from, count: d)
            }
        }
    }

    /// Copies row `i` of `source`, a matrix of the same dimension, over row `j` of this one.
    public mutating func copyRow(_ i: Int, of source: PopulationMatrix, to j: Int) {
        let d = dimension
        values.withUnsafeMutableBufferPointer { all in
            source.values.withUnsafeBufferPointer { input in
                guard let base = all.baseAddress, let from = input.baseAddress, d > 0 else { return }
                (base + j * d).update(from: from + i * d, count: d)
            }
        }
    }

    /// Exchanges the contents of this matrix and `other`, which has the same shape, without
    /// copying: how a strategy takes over the population it was told about.
    mutating func exchangeValues(with other: inout PopulationMatrix) {
        precondition(count == other.count && dimension == other.dimension, "exchanged populations must have the same shape")
        swap(&values, &other.values)
    }
}
