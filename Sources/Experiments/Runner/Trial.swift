import WeightLab

/// One (variant, seed) pair of an experiment: one run.
public struct Trial: Sendable {
    public var variant: Variant
    public var seed: UInt64
    /// The pair's position in the experiment's order (variants, then seeds), from 0; shards
    /// are taken by it.
    public var index: Int

    public init(variant: Variant, seed: UInt64, index: Int) {
        self.variant = variant
        self.seed = seed
        self.index = index
    }
}

/// What runs a trial: the real one builds the data, network, problem and optimizer and drives
/// the run loop (`NetworkTrialExecutor`); tests substitute their own.
public protocol TrialExecutor: Sendable {
    /// Loads or checks what the variants need (data sets) before the first run, so a missing
    /// file fails the experiment at once rather than in its middle.
    func prepare(_ variants: [Variant]) throws

    /// Runs the trial; `progress` receives the share of its budget spent, in 0...1.
    /// A diverging run returns a record with outcome `diverged`; throwing means the run could not be made.
    func run(_ trial: Trial, progress: @escaping @Sendable (Double) -> Void) throws -> TrialRecord
}

extension TrialExecutor {
    public func prepare(_ variants: [Variant]) throws {}
}

/// `--shard K/N`: the pairs whose index i has i mod N = K − 1 (K counts from 1, as array job
/// ids usually do), so N machines given K = 1...N share the pairs between them.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let number: Int
    public let count: Int

    public init(number: Int, count: Int) throws {
        guard count >= 1, (1...count).contains(number) else {
            throw WeightLabError(.parameter, "--shard \(number)/\(count): expected K/N with 1 ≤ K ≤ N")
        }
        self.number = number
        self.count = count
    }

    /// Parses `K/N`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Int(parts[0]), let count = Int(parts[1]) else {
            throw WeightLabError(.parameter, "--shard '\(text)': expected K/N, e.g. 2/8 for the second of eight shards")
        }
        try self.init(number: number, count: count)
    }

    /// Whether the pair at `index` belongs to this shard.
    public func contains(_ index: Int) -> Bool { index % count == number - 1 }

    public var description: String { "\(number)/\(count)" }
}

extension ExperimentSpec {
    /// Every (variant, seed) pair, variants in order, seeds in order within each.
    public var trials: [Trial] {
        var trials: [Trial] = []
        for variant in variants {
            for seed in seeds { trials.append(Trial(variant: variant, seed: seed, index: trials.count)) }
        }
        return trials
    }
}
