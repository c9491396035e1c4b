import Foundation
import Testing
import WeightLabC

/// `wl_restore` reads every state `wl_state_bytes` writes, non-finite values included (the state
/// encodes them as the strings "inf" and "nan", and the setup is read with the same rules).
@Suite struct CStateRoundTripTests {
    /// SGD at η = 10³⁰ told a gradient of 10³⁰ moves its weights to −∞.
    @Test func aStateWithAnInfiniteIncumbentRestores() throws {
        var handle: OpaquePointer?
        #expect(#"{"optimizer": "sgd", "learningRate": 1e30}"#.withCString { wl_create($0, 2, 1, nil, nil, nil, &handle) } == 0)
        defer { _ = wl_free(handle) }
        var rows: Int64 = 0
        #expect(wl_ask(handle, &rows) == 0)
        #expect(wl_tell_gradient(handle, 1, [1e30, 1e30], 2) == 0)
        var size = 0
        #expect(wl_state_bytes(handle, nil, 0, &size) == 0)
        var state = [UInt8](repeating: 0, count: size)
        #expect(wl_state_bytes(handle, &state, size, &size) == 0)
        #expect(String(decoding: state, as: UTF8.self).contains(#""-inf""#))
        var restored: OpaquePointer?
        let code = wl_restore(state, size, &restored)
        defer { _ = wl_free(restored) }
        #expect(code == 0, "\(wl_last_error().map { String(cString: $0) } ?? "")")
    }
}
