import WeightLabCore
import WeightLabEvolutionary

/// What evolutionary SGD and population-based training share: a population of single-point
/// trainers stepped in turn, one member step per combiner step (members interleaved, so a run
/// cut short leaves them within one step of each other), and after every member has taken
/// `interval` steps, one population step that measures them all on the same fitness batch.
enum Cohort {
    /// Members' starting weights: the run's starting point for every member when `shared`,
    /// else for the first only and a draw of the problem's initializer for each other.
    static func startingPoints(_ count: Int, shared: Bool, _ problem: Problem, from initial: [Float], rng: inout RandomStream) -> [[Float]] {
        (0..<count).map { i in i == 0 || shared ? initial : problem.sampleWeights(&rng) }
    }

    /// Why saved members cannot continue, nil when they can: one member for each of the
    /// population's `populationSize`, and a turn within the period of `interval` steps each.
    static func mismatch(members: Int, turn: Int, populationSize: Int, interval: Int) -> String? {
        guard members == populationSize else { return "it holds \(members) members, the population has \(populationSize)" }
        let (period, overflow) = members.multipliedReportingOverflow(by: interval)
        guard !overflow, (0...period).contains(turn) else { return "its turn \(turn) is outside the period of \(members) × \(interval) member steps" }
        return nil
    }

    /// Steps the next member that has not diverged, advancing `turn` (member steps since the
    /// last population step); nil, stepping nobody, when the population step is due. A member
    /// whose step gives a non-finite loss is marked diverged (fitness +∞, so it is never the
    /// incumbent) and the next one steps instead; only when all have diverged does the
    /// non-finite loss reach the run loop.
    static func stepMember(
        _ members: inout [Member], turn: inout Int, interval: Int, labels: [String],
        trainer: (Int) -> AnyWeightOptimizer, _ problem: Problem, run: inout RunState
    ) throws -> StepReport? {
        let period = members.count * interval
        while turn < period {
            let i = turn % members.count
            turn += 1
            guard !members[i].diverged else { continue }
            var report = try trainer(i).step(&members[i].state, problem, run: &run)
            report.part = partLabel(labels[i], report)
            report.finished = nil
            guard report.loss.isFinite else {
                members[i].diverged = true
                members[i].fitness = .infinity
                if members.allSatisfy(\.diverged) { return report }
                continue
            }
            return report
        }
        return nil
    }

    /// Every member's weights as the rows of one matrix, and their fitness on one fitness
    /// batch (diverged members are not priced: +∞). Charges one forward pass per priced member
    /// and sample.
    static func measure(
        _ members: [Member], trainer: (Int) -> AnyWeightOptimizer, _ problem: Problem, rng: inout RandomStream
    ) throws -> (weights: PopulationMatrix, fitness: [Float], batch: Samples) {
        let weights = try Pricing.matrix(members.indices.map { trainer($0).incumbent(members[$0].state) }, dimension: problem.dimension)
        let batch = problem.fitnessBatch(rng: &rng)
        let priced = members.indices.filter { !members[$0].diverged }
        var fitness = [Float](repeating: .infinity, count: members.count)
        if priced.count == members.count {
            fitness = try Pricing.fitness(of: weights, on: batch, problem)
        } else if !priced.isEmpty {
            var subset = PopulationMatrix(count: priced.count, dimension: problem.dimension)
            for (j, i) in priced.enumerated() { subset.copyRow(i, of: weights, to: j) }
            for (j, value) in try Pricing.fitness(of: subset, on: batch, problem).enumerated() { fitness[priced[j]] = value }
        }
        return (weights, fitness, batch)
    }

    /// The member with the lowest measured fitness (the first on ties; the first member
    /// before any measurement).
    static func leader(_ members: [Member]) -> Int {
        var best = 0
        for i in members.indices where members[i].fitness < members[best].fitness { best = i }
        return best
    }

    /// Trace labels for `count` members: `member 1`, `member 2`, ...
    static func labels(_ count: Int) -> [String] {
        (0..<count).map { "member \($0 + 1)" }
    }
}
