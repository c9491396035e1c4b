import Foundation
import WeightLabCore

/// The bit patterns of `weights`, so that comparisons are exact (and NaN equals NaN).
public func bits(_ weights: [Float]) -> [UInt32] { weights.map(\.bitPattern) }

/// The rows of `trace` with the wall seconds, the one column that is not a function of the
/// seed, set to 0.
public func timeless(_ trace: Trace) -> [TraceRow] {
    trace.rows.map { row in
        var row = row
        row.wallSeconds = 0
        return row
    }
}

/// Rows equal in everything but wall time.
public func sameRows(_ a: Trace, _ b: Trace) -> Bool { timeless(a) == timeless(b) }

/// A fresh name in the temporary directory, ending in `name`.
public func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appending(path: "weightlab-test-\(UUID().uuidString)-\(name)")
}

/// The error `body` throws as a `WeightLabError`, or nil.
public func weightLabError(_ body: () throws -> Void) -> WeightLabError? {
    do {
        try body()
        return nil
    } catch let error as WeightLabError {
        return error
    } catch {
        return WeightLabError(.unsupported, "unexpected error type: \(error)")
    }
}
