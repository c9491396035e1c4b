import WeightLabFuzzHarness

/// libFuzzer's entry point for the `augment` reader (`FuzzHarness.augment`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.augment.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
