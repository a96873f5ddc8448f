import FeedParsing
import Foundation
import FuzzChecks
import GazetteTestSupport
import Testing

/// The fuzz targets' committed inputs (seed corpus and past crashes, `Fuzz/`) replayed
/// through the same invariant checks the fuzzers assert, without libFuzzer: every crash
/// found stays fixed, and `make test` needs no fuzz build.
@Suite struct FuzzRegressionTests {
    static let root = RepoPaths.root

    @Test func feedParserCorpusHoldsItsInvariants() throws {
        let inputs = try FuzzCorpus.inputs(of: FeedParserCheck.self, root: Self.root)
        #expect(!inputs.isEmpty, "no corpus under Fuzz/Corpus/\(FeedParserCheck.name)")
        for input in inputs {
            let problems = FeedParserCheck.violations(input.data)
            #expect(problems.isEmpty, "\(input.path):\n\(problems.joined(separator: "\n"))")
        }
    }

    @Test func articleExtractorCorpusHoldsItsInvariants() throws {
        let inputs = try FuzzCorpus.inputs(of: ArticleExtractorCheck.self, root: Self.root)
        #expect(!inputs.isEmpty, "no corpus under Fuzz/Corpus/\(ArticleExtractorCheck.name)")
        for input in inputs {
            let problems = ArticleExtractorCheck.violations(input.data)
            #expect(problems.isEmpty, "\(input.path):\n\(problems.joined(separator: "\n"))")
        }
    }
}

@Suite struct HTMLEscapeTests {
    /// Escaping goes by code point: a quote followed by a combining mark is still a quote.
    @Test func aQuoteWithACombiningMarkIsEscaped() {
        #expect(HTMLText.escape("a\"\u{301}<\u{338}&'") == "a&quot;\u{301}&lt;\u{338}&amp;&#39;")
    }
}
