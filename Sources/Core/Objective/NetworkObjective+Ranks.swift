extension NetworkObjective {
    /// `populationLossSums` shared among `ranks`: every rank holds the same population (each
    /// regenerates it from the run's shared stream, as Salimans et al. (2017) do for the noise
    /// of their evolution strategies), prices a contiguous share of its groups, and the ranks
    /// exchange only the loss sums, 8 bytes per individual. Groups are those of one process
    /// (`populationGroups(count:)`), so every sum has the bits a single process computes, for
    /// any rank count. Regenerating beats scattering for every population method here: a
    /// scattered population moves 4·D bytes per individual, the sums 8.
    func sharedPopulationLossSums(_ population: PopulationMatrix, _ batch: Samples) throws -> [Double] {
        let groups = populationGroups(count: population.count)
        let mine = ranks.share(of: groups.count)
        let sums = populationLossSums(population, batch, groups: mine)
        let rows = min(population.count, mine.lowerBound * groups.size)..<min(population.count, mine.upperBound * groups.size)
        let parts = try ranks.allGather(Array(sums[rows]))
        let all = Array(parts.joined())
        guard all.count == population.count else {
            throw WeightLabError.shape("loss sums gathered from \(ranks.size) ranks", expected: population.count, actual: all.count)
        }
        return all
    }
}

extension NetworkObjective {
    /// A gradient pass's lanes shared among `ranks` (data-parallel training): each rank runs a
    /// contiguous share of the `lanes` (`run`), the ranks exchange every lane's loss sum and
    /// gradient, and each rank then holds all lanes in `gradient` (lane 0) and `scratch` exactly
    /// as one process would, so the caller's sum in lane order gives the same bits for any rank
    /// count. Moves, per step, each lane's gradient (4·D bytes) to every rank. Returns the loss
    /// sums added in lane order.
    func sharedLanes(
        _ lanes: Int, gradient: UnsafeMutablePointer<Float>, scratch: LaneScratch, run: (Range<Int>) -> Void
    ) throws -> Double {
        let d = dimension
        let mine = ranks.share(of: lanes)
        run(mine)
        func buffer(_ lane: Int) -> UnsafeMutablePointer<Float> { lane == 0 ? gradient : scratch.gradients[lane - 1] }
        var message: [UInt8] = []
        message.reserveCapacity(mine.count * (8 + 4 * d))
        for lane in mine {
            withUnsafeBytes(of: scratch.lossSums[lane]) { message.append(contentsOf: $0) }
            message.append(contentsOf: UnsafeRawBufferPointer(start: buffer(lane), count: 4 * d))
        }
        let parts = try ranks.allGather(message)
        for rank in parts.indices where rank != ranks.rank {
            let owned = ranks.share(of: lanes, for: rank)
            guard parts[rank].count == owned.count * (8 + 4 * d) else {
                throw WeightLabError.shape("lane gradients from rank \(rank) (bytes)", expected: owned.count * (8 + 4 * d), actual: parts[rank].count)
            }
            parts[rank].withUnsafeBytes { bytes in
                for (k, lane) in owned.enumerated() {
                    let offset = k * (8 + 4 * d)
                    scratch.lossSums[lane] = bytes.loadUnaligned(fromByteOffset: offset, as: Double.self)
                    UnsafeMutableRawPointer(buffer(lane)).copyMemory(from: bytes.baseAddress! + offset + 8, byteCount: 4 * d)
                }
            }
        }
        var total = 0.0
        for lane in 0..<lanes { total += scratch.lossSums[lane] }
        return total
    }
}
