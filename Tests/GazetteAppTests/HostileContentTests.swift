import FeedFetching
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

/// A feed written by an attacker, mailed to a subscriber whose name is an attack, through the
/// whole daily job into a real outbox, then read back by Python's MIME parser.
@Suite struct HostileContentTests {
    static let override = "\u{202E}"

    @Test func markupControlsAndBidiOverridesNeverReachAMessage() async throws {
        let folder = try TemporaryDirectory("gazette-hostile")
        defer { folder.remove() }
        // JSON Feed, because JSON strings may hold what XML cannot: NUL, raw CR/LF, any control.
        let feed = #"""
            {"version": "https://jsonfeed.org/version/1.1", "title": "Evil", "items": [
              {"id": "1", "url": "https://evil.sample.test/1",
               "title": "<script>alert(1)</script>Breaking <img src=x onerror=alert(2)>news",
               "authors": [{"name": "Mallory\r\nBcc: victim@elsewhere.test"}],
               "summary": "Visit moc.live\u202Eevil.com today",
               "content_html": "<a href=\"javascript:alert(3)\">here</a>",
               "tags": ["ISF\u202Egpj.exe", "News"]},
              {"id": "2", "url": "javascript:alert(4)", "title": "Click here"},
              {"id": "3", "url": "https://evil.sample.test/3", "title": "Null\u0000byte and\u2066isolate\u2069 title"}
            ]}
            """#
        try feed.write(to: folder.url.appendingPathComponent("evil.json"), atomically: true, encoding: .utf8)
        try TestConfig.write(in: folder.url, sources: [("evil", folder.path("evil.json"))])
        let config = try ConfigLoader.load(path: folder.path("gazette.toml"))
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath), http: CurlHTTPClient(),
            transport: MaildirTransport(directory: folder.url.appendingPathComponent("outbox")), templates: try DigestTemplates.load(),
            now: { Date(timeIntervalSince1970: 1_795_676_400) })
        _ = try SubscriberAdmin(config: config).add(
            NewSubscriber(email: "reader@sample.test", name: "Eve\r\nBcc: victim@elsewhere.test \(Self.override)reversed", lists: []),
            environment: environment)

        let report = try await DailyRun(config: config).run(environment: environment)
        #expect(report.sent == 1)
        #expect(report.newArticles == 2)  // the javascript: item is not an article
        let files = try FileManager.default.contentsOfDirectory(at: folder.url.appendingPathComponent("outbox/new"), includingPropertiesForKeys: nil)
        let email = try #require(try ParsedEmail.parse(files).first)
        #expect(email.defects.isEmpty)
        #expect(!email.headers.keys.contains { $0.lowercased() == "bcc" })
        #expect(email.headers["To"]?.contains("Eve Bcc: victim@elsewhere.test reversed") == true)
        let everything = email.headers.values.joined(separator: "\n") + email.parts.map(\.body).joined(separator: "\n")
        for forbidden in [Self.override, "\u{2066}", "\u{2069}", "\u{0}", "<script", "onerror", "javascript:"] {
            #expect(!everything.contains(forbidden), "found \(forbidden.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        let text = try #require(email.parts.first { $0.type == "text/plain" }).body
        let html = try #require(email.parts.first { $0.type == "text/html" }).body
        #expect(text.contains("Breaking news"))  // markup gone, script text with it
        #expect(text.contains("moc.liveevil.com"))  // the override is gone, the letters stay in order
        #expect(text.contains("ISFgpj.exe"))
        #expect(text.contains("Nullbyte andisolate title"))
        #expect(!text.contains("Click here"))  // an item whose only link is javascript: is not an article
        #expect(html.contains("Mallory Bcc: victim@elsewhere.test"))  // a name, on one line, harmless
        #expect(text.contains("Mallory Bcc: victim@elsewhere.test"))
    }
}
