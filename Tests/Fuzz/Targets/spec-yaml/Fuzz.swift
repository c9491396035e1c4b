import WeightLabFuzzHarness

/// libFuzzer's entry point for the `spec-yaml` reader (`FuzzHarness.specYAML`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.specYAML.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
