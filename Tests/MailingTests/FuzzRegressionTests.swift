import Foundation
import FuzzChecks
import GazetteModel
import GazetteTestSupport
import Testing

/// The fuzz targets' committed inputs (seed corpus and past crashes, `Fuzz/`) replayed
/// through the same invariant checks the fuzzers assert, without libFuzzer: every crash
/// found stays fixed, and `make test` needs no fuzz build.
@Suite struct FuzzRegressionTests {
    static let root = RepoPaths.root

    @Test func mimeWriterCorpusHoldsItsInvariants() throws {
        let inputs = try FuzzCorpus.inputs(of: MIMEWriterCheck.self, root: Self.root)
        #expect(!inputs.isEmpty, "no corpus under Fuzz/Corpus/\(MIMEWriterCheck.name)")
        for input in inputs {
            let problems = MIMEWriterCheck.violations(input.data)
            #expect(problems.isEmpty, "\(input.path):\n\(problems.joined(separator: "\n"))")
        }
    }
}

/// A quote with a combining mark is one `Character` that is not a quote: Character-based
/// HTML escaping (swift-mustache's, Gazette's own before) let it close an attribute.
@Suite struct MarkupCharacterTests {
    @Test func untrustedTextDetachesMarksFromMarkupCharacters() {
        let hostile = "x\"\u{301} onerror=alert(1) <\u{338}b> &\u{20DD} caf\u{65}\u{301}"
        let cleaned = UntrustedText.clean(hostile)
        #expect(cleaned == "x\" onerror=alert(1) <b> & caf\u{65}\u{301}")
        #expect(!cleaned.contains { $0.unicodeScalars.count > 1 && "\"'<>&".unicodeScalars.contains($0.unicodeScalars.first!) })
    }
}
