import FuzzChecks

/// libFuzzer calls this once per input; `FeedParserCheck` says what must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FeedParserCheck.fuzz(start, count)
}
