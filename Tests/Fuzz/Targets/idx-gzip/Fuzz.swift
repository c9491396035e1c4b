import WeightLabFuzzHarness

/// libFuzzer's entry point for the `idx-gzip` reader (`FuzzHarness.idxGzip`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.idxGzip.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
