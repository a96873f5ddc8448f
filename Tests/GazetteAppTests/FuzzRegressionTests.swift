import Foundation
import FuzzChecks
import GazetteTestSupport
import Testing

/// The fuzz targets' committed inputs (seed corpus and past crashes, `Fuzz/`) replayed
/// through the same invariant checks the fuzzers assert, without libFuzzer: every crash
/// found stays fixed, and `make test` needs no fuzz build.
@Suite struct FuzzRegressionTests {
    static let root = RepoPaths.root

    @Test func csvReaderCorpusHoldsItsInvariants() throws {
        let inputs = try FuzzCorpus.inputs(of: CSVReaderCheck.self, root: Self.root)
        #expect(!inputs.isEmpty, "no corpus under Fuzz/Corpus/\(CSVReaderCheck.name)")
        for input in inputs {
            let problems = CSVReaderCheck.violations(input.data)
            #expect(problems.isEmpty, "\(input.path):\n\(problems.joined(separator: "\n"))")
        }
    }

    @Test func configLoaderCorpusHoldsItsInvariants() throws {
        let inputs = try FuzzCorpus.inputs(of: ConfigLoaderCheck.self, root: Self.root)
        #expect(!inputs.isEmpty, "no corpus under Fuzz/Corpus/\(ConfigLoaderCheck.name)")
        for input in inputs {
            let problems = ConfigLoaderCheck.violations(input.data)
            #expect(problems.isEmpty, "\(input.path):\n\(problems.joined(separator: "\n"))")
        }
    }
}
