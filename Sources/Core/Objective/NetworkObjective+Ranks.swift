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
    /// A gradient pass's lanes shared among `ranks` (data-parallel training), writing the sum of
    /// the lane gradients to `gradient`. Each rank runs a contiguous share of the `lanes` (`run`)
    /// and owns a contiguous slice of the weights. Every rank sends each owner its lanes' loss
    /// sums and their part of the owner's slice; each owner adds its slice's lane gradients in
    /// lane order, as one process adds every weight's, and sends the sum to every rank (two
    /// all-to-alls). So the gradient has one process's bits for any rank count, and a rank moves
    /// about 4·D·(L_r + 1) bytes per step (L_r its lanes) rather than all lanes through rank 0.
    /// Returns the loss sums added in lane order.
    func sharedLanes(
        _ lanes: Int, gradient: UnsafeMutablePointer<Float>, scratch: LaneScratch, run: (Range<Int>) -> Void
    ) throws -> Double {
        let me = ranks.rank
        let mine = ranks.share(of: lanes)
        run(mine)
        func buffer(_ lane: Int) -> UnsafeMutablePointer<Float> { lane == 0 ? gradient : scratch.gradients[lane - 1] }
        let slices = (0..<ranks.size).map { ranks.share(of: dimension, for: $0) }

        // Each owner gets, from every rank, that rank's loss sums and lanes on its slice.
        let outgoing = slices.enumerated().map { owner, slice -> [UInt8] in
            guard owner != me else { return [] }
            var message: [UInt8] = []
            message.reserveCapacity(mine.count * (8 + 4 * slice.count))
            for lane in mine {
                withUnsafeBytes(of: scratch.lossSums[lane]) { message.append(contentsOf: $0) }
                message.append(contentsOf: UnsafeRawBufferPointer(start: buffer(lane) + slice.lowerBound, count: 4 * slice.count))
            }
            return message
        }
        let incoming = try ranks.allToAll(outgoing)
        let slice = slices[me]
        for rank in incoming.indices where rank != me {
            let owned = ranks.share(of: lanes, for: rank)
            let stride = 8 + 4 * slice.count
            guard incoming[rank].count == owned.count * stride else {
                throw WeightLabError.shape("lane gradients from rank \(rank) (bytes)", expected: owned.count * stride, actual: incoming[rank].count)
            }
            incoming[rank].withUnsafeBytes { bytes in
                for (k, lane) in owned.enumerated() {
                    scratch.lossSums[lane] = bytes.loadUnaligned(fromByteOffset: k * stride, as: Double.self)
                    UnsafeMutableRawPointer(buffer(lane) + slice.lowerBound).copyMemory(from: bytes.baseAddress! + k * stride + 8, byteCount: 4 * slice.count)
                }
            }
        }
        for lane in 1..<lanes {
            let part = buffer(lane)
            for i in slice { gradient[i] += part[i] }
        }

        // Every rank gets every owner's summed slice.
        let summed = Array(UnsafeRawBufferPointer(start: gradient + slice.lowerBound, count: 4 * slice.count))
        let sums = try ranks.allToAll(slices.indices.map { $0 == me ? [] : summed })
        for rank in sums.indices where rank != me {
            guard sums[rank].count == 4 * slices[rank].count else {
                throw WeightLabError.shape("summed gradient slice from rank \(rank) (bytes)", expected: 4 * slices[rank].count, actual: sums[rank].count)
            }
            guard !sums[rank].isEmpty else { continue }
            sums[rank].withUnsafeBytes { UnsafeMutableRawPointer(gradient + slices[rank].lowerBound).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        var total = 0.0
        for lane in 0..<lanes { total += scratch.lossSums[lane] }
        return total
    }
}
