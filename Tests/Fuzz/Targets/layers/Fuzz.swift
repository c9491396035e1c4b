import WeightLabFuzzHarness

/// libFuzzer's entry point for the `layers` reader (`FuzzHarness.layers`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.layers.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
