import Foundation
import WeightLab

/// Shows a run's progress on standard error: one redrawn line with a bar on a terminal, plain
/// lines (one per trace row) otherwise, nothing when quiet.
struct ProgressDisplay {
    let quiet: Bool
    let isTerminal = isatty(STDERR_FILENO) == 1

    func show(_ progress: RunProgress) {
        guard !quiet else { return }
        let row = progress.row
        var fields = [row.epoch.map { String(format: "epoch %.2f", $0) } ?? "step \(row.step)"]
        fields.append(String(format: "loss %.4f", row.loss))
        if let accuracy = row.validationAccuracy { fields.append(String(format: "val acc %.4f", accuracy)) }
        let fraction = min(max(progress.fractionComplete, 0), 1)
        if fraction > 0 {
            let remaining = row.wallSeconds * (1 - fraction) / fraction
            fields.append(String(format: "ETA %.0fs", remaining))
        }
        let text = fields.joined(separator: "  ")
        if isTerminal {
            let width = 24
            let filled = Int((fraction * Double(width)).rounded())
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(text)\u{1B}[K".utf8))
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Ends the redrawn line.
    func finish() {
        if !quiet && isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
