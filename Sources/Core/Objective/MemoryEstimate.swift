import Foundation

/// Refuses work that cannot fit in memory before allocating it, with the estimate in the
/// message, instead of an out-of-memory kill part way through (a population of P × D floats, a
/// full covariance of D² doubles, a network whose weights alone take gigabytes).
public enum MemoryEstimate {
    /// Bytes the system can still hand out: `MemAvailable` of /proc/meminfo (Linux), else the
    /// physical memory.
    public static var availableBytes: Int {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kib = Int(line.split(separator: " ").dropFirst().first ?? "") {
            return kib * 1024
        }
        return Int(clamping: ProcessInfo.processInfo.physicalMemory)
    }

    /// The bytes the checks compare with when a task sets it, instead of `availableBytes`
    /// (`MemoryEstimate.$budget.withValue(1 << 20) { … }`: a run held to less memory than the
    /// machine has; tests use it to reach the refusal at small sizes).
    @TaskLocal public static var budget: Int?

    /// The product of `factors` in bytes, or nil when it overflows.
    public static func bytes(_ factors: Int...) -> Int? {
        factors.reduce(Int?(1)) { product, factor in
            guard let product, factor >= 0 else { return nil }
            let (result, overflow) = product.multipliedReportingOverflow(by: factor)
            return overflow ? nil : result
        }
    }

    /// Throws when the `parts` (a description and its bytes, nil for more than can be counted)
    /// need more than `available` bytes (the task's `budget`, else `availableBytes`), naming
    /// `what` and each part's share.
    public static func check(_ what: String, needs parts: [(String, Int?)], available: Int? = nil) throws {
        let available = available ?? budget ?? availableBytes
        let total = parts.reduce(Int?(0)) { sum, part in
            guard let sum, let bytes = part.1 else { return nil }
            let (result, overflow) = sum.addingReportingOverflow(bytes)
            return overflow ? nil : result
        }
        if let total, total <= available { return }
        let breakdown = parts.map { "\($0.0): \($0.1.map(format) ?? "more than can be addressed")" }.joined(separator: ", ")
        throw WeightLabError(
            .parameter,
            "\(what) needs about \(total.map(format) ?? "more than can be addressed") (\(breakdown)) but \(format(available)) of memory are available; make it smaller")
    }

    /// `bytes` in the largest binary unit that keeps a number of at least 1 ("1.5 GiB").
    static func format(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[unit])
    }
}
