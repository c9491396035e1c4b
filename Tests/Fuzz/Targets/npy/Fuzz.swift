import WeightLabFuzzHarness

/// libFuzzer's entry point for the `npy` reader (`FuzzHarness.npy`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.npy.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
