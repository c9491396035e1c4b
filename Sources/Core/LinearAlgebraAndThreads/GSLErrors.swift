@preconcurrency import CGSL

/// GSL's default error handler aborts the process; WeightLab checks GSL's status codes
/// instead. The handler is turned off once per process, by the first caller, in a
/// thread-safe lazy initializer, so concurrent callers never race on GSL's global.
package enum GSLErrors {
    private static let turnedOff: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    /// Makes sure GSL's aborting error handler is off.
    package static func turnOffAbortingHandler() {
        _ = turnedOff
    }
}
