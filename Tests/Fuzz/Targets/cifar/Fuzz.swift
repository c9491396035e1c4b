import WeightLabFuzzHarness

/// libFuzzer's entry point for the `cifar` reader (`FuzzHarness.cifar`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.cifar.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
