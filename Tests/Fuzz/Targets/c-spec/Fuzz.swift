import WeightLabFuzzHarness

/// libFuzzer's entry point for the `c-spec` reader (`FuzzHarness.cSpec`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.cSpec.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
