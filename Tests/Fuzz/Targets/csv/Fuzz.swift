import WeightLabFuzzHarness

/// libFuzzer's entry point for the `csv` reader (`FuzzHarness.csv`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.csv.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
