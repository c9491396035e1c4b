import WeightLabFuzzHarness

/// libFuzzer's entry point for the `idx` reader (`FuzzHarness.idx`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.idx.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
