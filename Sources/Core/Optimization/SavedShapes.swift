/// Checks of a decoded optimizer state's list lengths against those its problem needs
/// (`WeightOptimizer.mismatch`): a checkpoint or C state that was edited, or written for another
/// problem, is refused with the list it got wrong instead of trapping in the next step.
public enum SavedShapes {
    /// The first of `parts` (name, length held, lengths allowed) whose length is not allowed.
    public static func firstMismatch(_ parts: [(name: String, count: Int, allowed: [Int])]) -> String? {
        parts.first { !$0.allowed.contains($0.count) }.map { part in
            "its \(part.name) holds \(part.count) values, not \(part.allowed.map(String.init).joined(separator: " or "))"
        }
    }

    /// The first population of `parts` that is not `rows × dimension`.
    public static func firstMismatch(_ parts: [(name: String, matrix: PopulationMatrix)], rows: Int, dimension: Int) -> String? {
        parts.first { $0.matrix.count != rows || $0.matrix.dimension != dimension }.map { part in
            "its \(part.name) are \(part.matrix.count) × \(part.matrix.dimension), not \(rows) × \(dimension)"
        }
    }
}
