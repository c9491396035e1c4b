import WeightLabFuzzHarness

/// libFuzzer's entry point for the `imdb` reader (`FuzzHarness.imdb`).
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.imdb.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
