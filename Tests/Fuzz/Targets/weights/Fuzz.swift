import WeightLabFuzzHarness

/// libFuzzer's entry point for the `weights` reader (`FuzzHarness.weights`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.weights.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
