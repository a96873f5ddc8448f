import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

/// `[web] base_url` reaches every digest: RFC 8058's headers and the footer's links.
@Suite struct DigestLinksTests {
    @Test func baseURLPutsOneClickHeadersAndFooterLinksInEveryDigest() async throws {
        let server = try await WebTestServer(web: ["base_url = \"https://news.example.org/letters\""])
        defer { server.stop() }
        let reader = try server.subscriber("linked@sample.test")
        _ = try await DailyRun(config: server.config, force: true).run(environment: server.environment)
        let mail = try #require(try ParsedEmail.parse(server.outboxFiles()).first)
        let token = server.token(reader)
        #expect(mail.defects.isEmpty)
        #expect(
            mail.headers["List-Unsubscribe"]?.hasPrefix("<https://news.example.org/letters/unsubscribe?token=\(token)>, <mailto:")
                == true)
        #expect(mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        for part in mail.parts {
            #expect(part.body.contains("https://news.example.org/letters/preferences?token=\(token)"), "\(part.type)")
            #expect(part.body.contains("https://news.example.org/letters/unsubscribe?token=\(token)"), "\(part.type)")
        }
    }

    @Test func baseURLMustBeHTTPSUnlessOnThisMachine() throws {
        let folder = try TemporaryDirectory("gazette-web-config")
        defer { folder.remove() }
        for (base, accepted) in [
            ("https://news.example.org/letters", true), ("http://127.0.0.1:8080", true), ("http://localhost", true),
            ("http://news.example.org", false), ("news.example.org", false),
        ] {
            try TestConfig.write(in: folder.url, top: ["database = \"gazette.sqlite\"", "[web]", "base_url = \"\(base)\""])
            let result = Result { try ConfigLoader.load(path: folder.path("gazette.toml")) }
            if accepted {
                #expect((try? result.get())?.web?.baseURL == base, "\(base)")
            } else {
                #expect(throws: ConfigError.self, "\(base)") { try result.get() }
            }
        }
    }

    @Test func theStarterConfigsWebBlockWorksOnceUncommented() throws {
        var lines: [String] = []
        var inWeb = false
        for line in StarterConfig.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "# [web]" { inWeb = true }
            lines.append(inWeb && line.hasPrefix("# ") ? String(line.dropFirst(2)) : line)
        }
        #expect(inWeb, "gazette init writes a commented [web] block")
        let folder = try TemporaryDirectory("gazette-web-starter")
        defer { folder.remove() }
        let config = try ConfigLoader.parse(lines.joined(separator: "\n"), file: "gazette.toml", relativeTo: folder.url)
        #expect(config.web?.baseURL == "https://news.example.org/letters")
        #expect(config.web?.listen == "127.0.0.1:8080")
        #expect(config.web?.publicSubscribe == false)
    }
}
