import Foundation
import GazetteModel
import GazetteTestSupport
import Testing

@testable import GazetteApp

/// A list's `language` and `subject`: checked when the config loads, not at send time.
@Suite struct ConfigLanguageTests {
    private func list(_ extra: String, templates: String? = nil) -> String {
        (templates.map { "templates = \"\($0)\"\n" } ?? "") + """
            [[lists]]
            name = "daily"
            title = "Daily"
            sender_address = "digest@sample.test"
            \(extra)
            """
    }

    private func load(_ text: String) throws(ConfigError) -> GazetteConfig {
        try ConfigLoader.parse(text, file: "gazette.toml", relativeTo: URL(fileURLWithPath: "/srv"))
    }

    @Test func aListIsEnglishUnlessItSaysOtherwise() throws {
        #expect(try load(list("")).lists.first?.language == "en")
        #expect(try load(list("")).lists.first?.subjectTemplate == nil)
        let hebrew = try load(list("language = \"he\"\nsubject = \"{{leadStory}} — {{list.title}}\"")).lists.first
        #expect(hebrew?.language == "he")
        #expect(hebrew?.subjectTemplate == "{{leadStory}} — {{list.title}}")
        #expect(try load(list("language = \"he-IL\"")).lists.first?.language == "he-IL")
    }

    @Test func aLanguageWithoutStringsIsRefusedWithTheWayOut() {
        #expect(
            throws: ConfigError.invalid(
                file: "gazette.toml", line: 5, key: "lists[0].language",
                reason: "has no strings file; use one of en, he or add strings/fr.toml to the templates folder")
        ) { try load(list("language = \"fr\"")) }
    }

    @Test func aTemplatesFolderCanAddALanguage() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let strings = folder.url.appendingPathComponent("strings")
        try FileManager.default.createDirectory(at: strings, withIntermediateDirectories: true)
        try Data("[strings]\nunsubscribe = \"Se désabonner\"\n".utf8).write(to: strings.appendingPathComponent("fr.toml"))
        #expect(try load(list("language = \"fr\"", templates: folder.url.path)).lists.first?.language == "fr")
    }

    @Test func theStarterConfigsLanguageAndSubjectWorkOnceUncommented() throws {
        let lines = StarterConfig.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("# language = ") || line.hasPrefix("# subject = ") ? String(line.dropFirst(2)) : String(line)
        }
        let list = try #require(try load(lines.joined(separator: "\n")).lists.first)
        #expect(list.language == "en")
        #expect(list.subjectTemplate == "{{list.title}} — {{shortDate}}")
    }

    @Test func aSubjectThatDoesNotParseIsNamed() {
        #expect(throws: ConfigError.self) { try load(list("subject = \"{{#hasLeadStory}}{{leadStory}}\"")) }
        do {
            _ = try load(list("subject = \"{{#hasLeadStory}}{{leadStory}}\""))
        } catch {
            #expect(error.description.contains("lists[0].subject"), "\(error)")
        }
    }
}
