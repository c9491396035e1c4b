import WeightLabFuzzHarness

/// libFuzzer's entry point for the `c-state` reader (`FuzzHarness.cState`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.cState.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
