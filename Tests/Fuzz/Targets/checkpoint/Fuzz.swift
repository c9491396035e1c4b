import WeightLabFuzzHarness

/// libFuzzer's entry point for the `checkpoint` reader (`FuzzHarness.checkpoint`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.checkpoint.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
