import Foundation
import Testing
import WeightLabCore
import WeightLabEvolutionary
@testable import WeightLabHybrid

/// A population method that draws a fresh population every generation and keeps what it
/// asked and what `amend` handed back, so a test can see exactly what migration changed.
private struct RecordingPopulation: PopulationMethod {
    struct State: Codable, Sendable {
        var asked = PopulationMatrix(count: 0, dimension: 0)
        var askedFitness: [Float] = []
        var told = PopulationMatrix(count: 0, dimension: 0)
        var toldFitness: [Float] = []
        var start: [Float]
    }

    let name = "recording"
    let size = 6

    func sampledPerGeneration(dimension: Int) -> Int { size }

    func start(_ problem: Problem, from initial: [Float], run: inout RunState) throws -> State { State(start: initial) }

    func step(_ state: inout State, _ problem: Problem, run: inout RunState) throws -> StepReport {
        try step(&state, problem, run: &run) { _, _, _, _ in }
    }

    func step(
        _ state: inout State, _ problem: Problem, run: inout RunState,
        amend: (inout PopulationMatrix, inout [Float], Samples, inout RunState) throws -> Void
    ) throws -> StepReport {
        var population = PopulationMatrix(count: size, dimension: problem.dimension)
        for i in 0..<size { population.setRow(i, (0..<problem.dimension).map { state.start[$0] + run.rng.normal() }) }
        var fitness: [Float] = []
        try problem.objective.losses(of: population, on: .empty, into: &fitness)
        state.asked = population
        state.askedFitness = fitness
        try amend(&population, &fitness, .empty, &run)
        state.told = population
        state.toldFitness = fitness
        return StepReport(loss: fitness.min() ?? .infinity)
    }

    func incumbent(_ state: State) -> [Float] { state.start }
}

@Suite struct IslandsTests {
    @Test func emigrantsAreTheKBestAndReplaceExactlyTheKWorst() {
        var population = PopulationMatrix(count: 5, dimension: 2)
        for i in 0..<5 { population.setRow(i, [Float(i), Float(10 * i)]) }
        let fitness: [Float] = [3, 1, 4, 0.5, 2]
        let emigrants = Migration.emigrants(2, of: population, fitness: fitness)
        #expect(emigrants.row(0) == [3, 30] && emigrants.row(1) == [1, 10])

        var target = population
        var targetFitness: [Float] = [0, 9, 1, 8, 2]
        Migration.replaceWorst(&target, fitness: &targetFitness, with: emigrants, immigrantFitness: [0.5, 1])
        // Rows 1 (fitness 9) and 3 (fitness 8) were the worst; the best immigrant takes the worst row.
        #expect(target.row(1) == [3, 30] && target.row(3) == [1, 10])
        #expect(targetFitness == [0, 0.5, 1, 1, 2])
        for i in [0, 2, 4] { #expect(target.row(i) == population.row(i)) }
    }

    @Test func aRingMigrationMovesExactlyTheKBestOfTheNeighbourOverTheKWorst() throws {
        let problem = try Problem(function: AnalyticFunction(.sphere, dimension: 3))
        let islands = try Islands(population: RecordingPopulation(), islands: 3, migrants: 2, interval: 2)
        var run = RunState(problem, rng: RandomStream(seed: 11))
        var state = try islands.start(problem, from: [1, 1, 1], run: &run)
        _ = try islands.step(&state, problem, run: &run)  // generation 1 chooses the emigrants
        let previous = state.islands
        #expect(state.emigrants.count == 3)
        _ = try islands.step(&state, problem, run: &run)  // generation 2 receives them
        #expect(state.migrations == 6)
        for island in 0..<3 {
            let source = previous[(island + 2) % 3]
            var bestOfSource: [Int] = []
            Fitness.sortIndices(source.toldFitness, into: &bestOfSource)
            var worst: [Int] = []
            Fitness.sortIndices(state.islands[island].askedFitness, into: &worst)
            let replaced = Array(worst.reversed().prefix(2))
            let now = state.islands[island]
            for (j, row) in replaced.enumerated() {
                #expect(now.told.row(row) == source.told.row(bestOfSource[j]), "island \(island) row \(row)")
                #expect(now.toldFitness[row] == source.toldFitness[bestOfSource[j]])
            }
            for row in 0..<6 where !replaced.contains(row) {
                #expect(now.told.row(row) == now.asked.row(row), "island \(island) row \(row) must stay")
            }
        }
        _ = try islands.step(&state, problem, run: &run)  // generation 3 chooses again and receives nothing
        #expect(state.migrations == 6 && state.emigrants.count == 3)
        for island in 0..<3 { #expect(state.islands[island].told == state.islands[island].asked) }
    }

    @Test func randomSourcesAreAlwaysAnotherIsland() {
        var rng = RandomStream(seed: 3)
        for _ in 0..<200 {
            let sources = Migration.sources(4, topology: .random, rng: &rng)
            for (island, source) in sources.enumerated() { #expect(source != island && (0..<4).contains(source)) }
        }
        #expect(Migration.sources(4, topology: .ring, rng: &rng) == [3, 0, 1, 2])
    }

    @Test func badSettingsAreRejected() throws {
        #expect(throws: WeightLabError.self) { try Islands(population: RecordingPopulation(), islands: 1) }
        #expect(throws: WeightLabError.self) { try Islands(population: RecordingPopulation(), migrants: 0) }
    }
}
