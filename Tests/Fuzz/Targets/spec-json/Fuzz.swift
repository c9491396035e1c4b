import WeightLabFuzzHarness

/// libFuzzer's entry point for the `spec-json` reader (`FuzzHarness.specJSON`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.specJSON.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
