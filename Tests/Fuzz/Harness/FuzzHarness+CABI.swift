import Foundation
import WeightLabC

/// A C function of the C ABI that returned an error code, with the message `wl_last_error` gave.
public struct CFunctionFailure: Error, CustomStringConvertible {
    public let function: String
    public let code: Int32
    public let message: String
    public var description: String { "\(function) returned \(code): \(message)" }
}

extension FuzzHarness {
    /// `wl_create` on the specification in `bytes` after the first, whose value picks the
    /// dimension (1 to 8); then three generations on the sphere, the state saved, restored into
    /// a second optimizer and stepped once more there. A specification holding a number over
    /// 10,000 (a population of 10⁶, 10⁶ moves a step: valid) is only created, and one that asks
    /// for more than 100,000 values a generation only asked once: their work grows with the
    /// number, which is not a hang, and would cross the 1 s limit.
    static func createAndStep(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard let first = bytes.first else { return }
        let spec = String(decoding: UnsafeBufferPointer(rebasing: bytes.dropFirst()), as: UTF8.self)
        let large = isLarge(spec)
        var handle: OpaquePointer?
        try check("wl_create", spec.withCString { wl_create($0, Int64(first % 8) + 1, 5, nil, nil, nil, &handle) })
        defer { _ = wl_free(handle) }
        guard !large else { return }
        var rows: Int64 = 0
        let asked = wl_ask(handle, &rows)
        guard asked != 6 else { return }
        try check("wl_ask", asked)
        guard rows * (Int64(first % 8) + 1) <= 100_000 else { return }
        try tell(handle, rows: rows)
        for _ in 0..<2 where try generation(handle) {}
        var size = 0
        try check("wl_state_bytes", wl_state_bytes(handle, nil, 0, &size))
        var state = [UInt8](repeating: 0, count: size)
        try check("wl_state_bytes", wl_state_bytes(handle, &state, size, &size))
        try restoreAndStep(state.withUnsafeBufferPointer { $0 })
    }

    /// `wl_restore` on `bytes`, then one generation on the sphere unless the saved setup's
    /// specification is large (as `createAndStep` says).
    static func restoreAndStep(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var handle: OpaquePointer?
        try check("wl_restore", wl_restore(bytes.baseAddress, bytes.count, &handle))
        defer { _ = wl_free(handle) }
        let saved = try? JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any]
        let spec = (saved?["setup"] as? [String: Any])?["spec"] as? String ?? ""
        guard !isLarge(spec) else { return }
        _ = try generation(handle)
    }

    /// Whether the specification `text` holds a number over 10,000 anywhere.
    private static func isLarge(_ text: String) -> Bool {
        largestNumber(in: (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? "") > 10_000
    }

    /// Asks, prices the rows on the sphere (with its gradient when a gradient method asks) and
    /// tells; false when the optimizer has finished.
    private static func generation(_ handle: OpaquePointer?) throws -> Bool {
        var rows: Int64 = 0
        let asked = wl_ask(handle, &rows)
        if asked == 6 { return false }
        try check("wl_ask", asked)
        try tell(handle, rows: rows)
        return true
    }

    /// Prices the `rows` asked for on the sphere and tells them.
    private static func tell(_ handle: OpaquePointer?, rows: Int64) throws {
        var dimension: Int64 = 0
        try check("wl_dimension", wl_dimension(handle, &dimension))
        var points = [Double](repeating: 0, count: Int(rows * dimension))
        try check("wl_population_double", wl_population_double(handle, &points, rows, dimension))
        var gradientWanted: Int32 = 0
        try check("wl_needs_gradient", wl_needs_gradient(handle, &gradientWanted))
        let d = Int(dimension)
        let fitness = (0..<Int(rows)).map { row in (0..<d).reduce(0.0) { $0 + points[row * d + $1] * points[row * d + $1] } }
        if gradientWanted == 1 {
            try check("wl_tell_gradient", wl_tell_gradient(handle, fitness[0], points.map { 2 * $0 }, dimension))
        } else {
            try check("wl_tell", wl_tell(handle, fitness, rows))
        }
    }

    /// The largest number anywhere in a parsed specification (its magnitude).
    private static func largestNumber(in value: Any) -> Double {
        switch value {
        case let object as [String: Any]: object.values.map(largestNumber).max() ?? 0
        case let list as [Any]: list.map(largestNumber).max() ?? 0
        case let number as NSNumber: abs(number.doubleValue)
        case let text as String: abs(Double(text) ?? 0)
        default: 0
        }
    }

    /// Throws a `CFunctionFailure` when `code` is not `WL_OK`.
    private static func check(_ function: String, _ code: Int32) throws {
        guard code != 0 else { return }
        throw CFunctionFailure(function: function, code: code, message: wl_last_error().map { String(cString: $0) } ?? "")
    }

    /// Writes C ABI states, after two generations, of a few methods on 3 dimensions: the
    /// `c-state` target's seeds.
    static func writeStateSeeds(into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, spec) in [("cma-es", "cma-es"), ("ga", #"{"optimizer": "ga", "populationSize": 8}"#), ("adam", "adam"), ("ipop", #"{"optimizer": "ipop", "inner": {"optimizer": "cma-es"}}"#)] {
            var handle: OpaquePointer?
            try check("wl_create", spec.withCString { wl_create($0, 3, 9, nil, nil, nil, &handle) })
            defer { _ = wl_free(handle) }
            for _ in 0..<2 { _ = try generation(handle) }
            var size = 0
            try check("wl_state_bytes", wl_state_bytes(handle, nil, 0, &size))
            var state = [UInt8](repeating: 0, count: size)
            try check("wl_state_bytes", wl_state_bytes(handle, &state, size, &size))
            try Data(state).write(to: folder.appendingPathComponent("\(name).state"))
        }
    }
}
