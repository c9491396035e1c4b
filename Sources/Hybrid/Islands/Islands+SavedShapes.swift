import WeightLabCore

extension Islands {
    /// A saved state must hold one state per island, no emigrants or one matrix per island of
    /// at most k rows of the problem's width, and an incumbent of that width. Each island's own
    /// state is checked by the population method when it steps.
    public func mismatch(_ state: State, _ problem: Problem) -> String? {
        let d = problem.dimension
        if let wrong = state.emigrants.first(where: { $0.dimension != d || $0.count > migrants }) {
            return "its emigrants are \(wrong.count) × \(wrong.dimension), not at most \(migrants) × \(d)"
        }
        return SavedShapes.firstMismatch([
            ("islands", state.islands.count, [islands]), ("emigrant sets", state.emigrants.count, [0, islands]), ("incumbent", state.best.count, [d]),
        ])
    }
}
