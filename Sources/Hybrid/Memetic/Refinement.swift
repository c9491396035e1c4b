/// What a memetic population keeps of a refinement (Whitley, Gordon & Mathias, 1994).
public enum Inheritance: String, Sendable, Codable, CaseIterable {
    /// The refined weights replace the individual's (Lamarck: acquired traits are inherited).
    case lamarckian
    /// The individual keeps its weights and takes the refined fitness (the Baldwin effect:
    /// selection favours what an individual can learn, not what it has learned).
    case baldwinian
}

/// Which individuals of a memetic population are refined each generation.
public enum Refinement: Sendable, Equatable {
    /// The `m` lowest-fitness individuals.
    case best(Int)
    /// Every individual.
    case all

    /// How many of a population of `size` are refined.
    func count(of size: Int) -> Int {
        switch self {
        case .best(let m): min(m, size)
        case .all: size
        }
    }
}
