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
