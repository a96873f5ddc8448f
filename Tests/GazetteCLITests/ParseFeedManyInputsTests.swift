import ArgumentParser
import Testing

@testable import GazetteCLI

/// `parse-feed` with many inputs is parsed without them and given them afterwards
/// (`settingAsideInputs`): only from a command line the parser would read the same way.
@Suite struct ParseFeedManyInputsTests {
    @Test func manyInputsAreSetAsideOnlyFromAPlainCommandLine() throws {
        let files = (0..<100).map { "feeds/\($0).xml" }
        let taken = try #require(GazetteCommand.ParseFeed.settingAsideInputs(of: ["parse-feed", "--json"] + files))
        #expect(taken.arguments == ["parse-feed", "--json", files[0]])
        #expect(taken.inputs == files)
        let withValues = try #require(
            GazetteCommand.ParseFeed.settingAsideInputs(
                of: ["parse-feed", "--base-url", "https://a.test/"] + files + ["--content-type=text/xml", "--json"]))
        #expect(withValues.arguments == ["parse-feed", "--base-url", "https://a.test/", files[0], "--content-type=text/xml", "--json"])
        #expect(withValues.inputs == files)
        for odd in ["--help", "-h", "--", "-", "--verbose", "--jsonx", "--base-url"] {
            #expect(GazetteCommand.ParseFeed.settingAsideInputs(of: ["parse-feed"] + files + [odd]) == nil, "\(odd)")
        }
        #expect(GazetteCommand.ParseFeed.settingAsideInputs(of: ["parse-feed", "--json"] + files.prefix(10)) == nil)
        #expect(GazetteCommand.ParseFeed.settingAsideInputs(of: ["extract"] + files) == nil)
    }

    /// The command parsed from the shortened line, given its inputs, is the one the whole line parses as.
    @Test func theCommandIsTheOneTheWholeLineGives() async throws {
        let files = (0..<100).map { "feeds/\($0).xml" }
        let line = ["parse-feed", "--json", "--content-type", "text/xml"] + files
        let taken = try #require(GazetteCommand.ParseFeed.settingAsideInputs(of: line))
        var short = try #require(try GazetteCommand.parseAsRoot(taken.arguments) as? GazetteCommand.ParseFeed)
        short.inputs = taken.inputs
        let whole = try #require(try GazetteCommand.parseAsRoot(line) as? GazetteCommand.ParseFeed)
        #expect(short.inputs == whole.inputs)
        #expect(short.json == whole.json && short.contentType == whole.contentType && short.baseURL == whole.baseURL)
    }
}
