import FuzzChecks

/// libFuzzer calls this once per input; `MIMEWriterCheck` says what must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    MIMEWriterCheck.fuzz(start, count)
}
