import FuzzChecks

/// libFuzzer calls this once per input; `CSVReaderCheck` says what must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    CSVReaderCheck.fuzz(start, count)
}
