import FuzzChecks

/// libFuzzer calls this once per input; `ArticleExtractorCheck` says what must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    ArticleExtractorCheck.fuzz(start, count)
}
