import FuzzChecks

/// libFuzzer calls this once per input; `ConfigLoaderCheck` says what must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    ConfigLoaderCheck.fuzz(start, count)
}
