import Foundation
import Synchronization

/// Shows an experiment's progress: runs done / total, the runs in flight, the best result so
/// far and an estimate of the time left. On a terminal one status line is redrawn in place
/// (at most five times a second) and each finished run is printed above it; otherwise (a log
/// file, CI) each finished run is one plain line.
public final class ExperimentProgress: Sendable {
    private struct State {
        var done = 0
        var inFlight: [Int: (name: String, fraction: Double)] = [:]
        var best: (name: String, value: Double)?
        var lastDraw = ContinuousClock.now - .seconds(1)
        var statusShown = false
    }

    private let total: Int
    private let metric: Metric
    private let target: Double?
    private let interactive: Bool
    private let write: @Sendable (String) -> Void
    private let start = ContinuousClock.now
    private let state = Mutex(State())

    /// - Parameters:
    ///   - total: runs to make in this session.
    ///   - metric: the metric "best" refers to.
    ///   - interactive: redraw a status line (a terminal) rather than print plain lines.
    ///   - write: where text goes (standard error by default).
    public init(total: Int, metric: Metric, target: Double? = nil, interactive: Bool, write: @escaping @Sendable (String) -> Void = ExperimentProgress.standardError) {
        self.total = total
        self.metric = metric
        self.target = target
        self.interactive = interactive
        self.write = write
    }

    /// Whether standard error is a terminal.
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    public static let standardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    func started(_ trial: Trial) {
        state.withLock { $0.inFlight[trial.index] = (Self.label(trial), 0) }
        redraw(force: true)
    }

    func progressed(_ trial: Trial, _ fraction: Double) {
        state.withLock { $0.inFlight[trial.index]?.fraction = min(1, max(0, fraction)) }
        redraw(force: false)
    }

    func finished(_ trial: Trial, _ record: TrialRecord, seconds: Double) {
        var line = "\(Self.label(trial)): \(record.outcome == .diverged ? record.stopReason : "completed (\(record.stopReason))")"
        if let value = record.value(of: metric, target: target) {
            line += ", \(metric.title) \(MetricFormat.number(value, metric))\(MetricFormat.unit(metric))"
        }
        line += String(format: ", %.1f s", seconds)
        state.withLock { state in
            state.done += 1
            state.inFlight[trial.index] = nil
            if let value = record.value(of: metric, target: target), value.isFinite,
               state.best.map({ metric.higherIsBetter ? value > $0.value : value < $0.value }) ?? true {
                state.best = (record.variant, value)
            }
        }
        emit(line)
    }

    func failed(_ trial: Trial, _ error: any Error) {
        state.withLock { state in
            state.done += 1
            state.inFlight[trial.index] = nil
        }
        emit("\(Self.label(trial)): FAILED: \(error)")
    }

    /// Clears the status line.
    func close() {
        guard interactive else { return }
        state.withLock { state in
            if state.statusShown { write("\r\u{1B}[K") }
            state.statusShown = false
        }
    }

    private func emit(_ line: String) {
        let status = statusLine()
        if interactive {
            write("\r\u{1B}[K\(status.counter) \(line)\n\(status.text)")
            state.withLock { $0.statusShown = true }
        } else {
            write("\(status.counter) \(line)\(status.eta.map { " · ETA \($0)" } ?? "")\n")
        }
    }

    private func redraw(force: Bool) {
        guard interactive else { return }
        let now = ContinuousClock.now
        let due = state.withLock { state -> Bool in
            guard force || now - state.lastDraw > .milliseconds(200) else { return false }
            state.lastDraw = now
            state.statusShown = true
            return true
        }
        if due { write("\r\u{1B}[K" + statusLine().text) }
    }

    private func statusLine() -> (counter: String, text: String, eta: String?) {
        let snapshot = state.withLock { $0 }
        let counter = "[\(snapshot.done)/\(total)]"
        var parts = ["\(counter) runs done"]
        if !snapshot.inFlight.isEmpty {
            parts.append("running " + snapshot.inFlight.values.sorted { $0.name < $1.name }
                .map { "\($0.name) \(Int($0.fraction * 100))%" }.joined(separator: ", "))
        }
        if let best = snapshot.best {
            parts.append("best \(best.name) \(MetricFormat.number(best.value, metric))\(MetricFormat.unit(metric))")
        }
        let elapsed = (ContinuousClock.now - start).seconds
        let progress = Double(snapshot.done) + snapshot.inFlight.values.reduce(0) { $0 + $1.fraction }
        var eta: String?
        if progress > 0.05, snapshot.done < total {
            eta = Self.duration(elapsed * (Double(total) - progress) / progress)
            parts.append("ETA \(eta ?? "")")
        }
        return (counter, String(parts.joined(separator: " · ").prefix(200)), eta)
    }

    private static func label(_ trial: Trial) -> String { "\(trial.variant.name) seed \(trial.seed)" }

    /// 75 → "1m15s".
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m" }
        if total >= 60 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total)s"
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
