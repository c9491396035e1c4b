import Dispatch
import Foundation

/// A request to stop a run at its next step boundary (SIGINT or SIGTERM at the command line).
///
/// The signal is turned into the request on a dispatch queue, not in a signal handler, so
/// nothing runs in signal context; the run loop reads the flag between steps (a lock held for
/// a load, a few nanoseconds a step). Under mpirun the launcher forwards the signal to every
/// rank, but the ranks may read it at different steps; the command line therefore watches for
/// signals only in a world of one (docs/reliability.md).
public final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []

    public init() {}

    /// The signal that asked the run to stop, nil while none has.
    public var signal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Asks the run to stop at its next step boundary; the first signal is kept.
    public func request(_ signal: Int32) {
        lock.lock()
        defer { lock.unlock() }
        if received == nil { received = signal }
    }

    /// Replaces the default action of `signals` (terminate at once) with a request to stop.
    public func watch(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        for number in signals {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in self.request(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// The exit status a shell reports for a process ended by `signal`: 128 + its number.
    public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    /// The signal's conventional name.
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}
