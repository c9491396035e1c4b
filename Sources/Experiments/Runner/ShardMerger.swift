import Foundation
import WeightLab

/// `weightlab merge`: joins the results directories of an experiment's shards into one and
/// writes its reports, as if one machine had run every pair.
public enum ShardMerger {
    /// What a merge did.
    public struct Outcome: Sendable {
        /// Runs in the merged directory.
        public var runs: Int
        /// Pairs of the experiment no shard has run yet.
        public var missing: Int
        /// Pairs found in more than one shard (the first directory's run is kept).
        public var duplicates: Int
        public var reports: ResultStore.Reports
    }

    /// Merges `shards` (results directories written by `weightlab run --shard`) into `output`,
    /// which may be new or one of them. Every shard must hold the same experiment, with the same
    /// settings (equal manifests).
    public static func merge(_ shards: [URL], into output: URL, rendersPNG: Bool = true) throws -> Outcome {
        guard let first = shards.first else {
            throw WeightLabError(.parameter, "merge: give the results directories of the shards to join")
        }
        let manifest = try ResultStore(directory: first).manifest()
        var records: [String: TrialRecord] = [:]
        var duplicates = 0
        for directory in shards {
            let store = ResultStore(directory: directory)
            let other = try store.manifest()
            guard other == manifest else {
                throw WeightLabError(.data, "\(directory.path) holds \(other.name == manifest.name ? "a different version of" : "another experiment than") '\(manifest.name)' (its experiment.json differs from \(first.path)'s): shards must be run from the same spec with the same options")
            }
            for record in try store.currentRecords(of: manifest).records {
                let key = "\(record.variant)\u{0}\(record.seed)"
                if records[key] == nil { records[key] = record } else { duplicates += 1 }
            }
        }
        let target = ResultStore(directory: output, rendersPNG: rendersPNG)
        try target.prepare(manifest, fresh: false)
        for record in records.values { try target.save(record) }
        let current = try target.currentRecords(of: manifest).records
        let reports = try target.writeReports(manifest, records: current)
        return Outcome(runs: current.count, missing: manifest.variants.count * manifest.seeds.count - current.count, duplicates: duplicates, reports: reports)
    }
}
