import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

/// The archive after a real run: each list's editions, an edition as a reader following
/// everything got it with no one's address in it, and an Atom feed Python's parser reads.
@Suite struct ArchiveTests {
    @Test func theArchiveListsSentEditionsShowsThemWithoutPersonalDataAndHasAFeed() async throws {
        let server = try await WebTestServer()
        defer { server.stop() }
        let reader = try server.subscriber("private-reader@sample.test")
        let report = try await DailyRun(config: server.config, force: true).run(environment: server.environment)
        #expect(report.newArticles > 0)
        #expect(report.sent == 1)

        let index = try await server.get("/archive/")
        #expect(index.status == 200)
        #expect(index.body.contains("/archive/daily/"))

        let listPage = try await server.get("/archive/daily/")
        #expect(listPage.status == 200)
        #expect(listPage.body.contains("<link rel=\"alternate\" type=\"application/atom+xml\""))
        let editionPath = try #require(
            listPage.body.firstMatch(of: /href="http:\/\/127\.0\.0\.1(\/archive\/daily\/[0-9T-]+\/)"/)?.1)

        let edition = try await server.get(String(editionPath))
        #expect(edition.status == 200)
        #expect(edition.body.contains("Israel Hayom Sample Daily"))
        #expect(edition.body.contains("An edition of Israel Hayom Sample Daily from the archive"))
        let sent = try #require(try server.outbox().first)
        #expect(sent.contains("private-reader@sample.test"))
        #expect(!edition.body.contains("private-reader"))
        #expect(!edition.body.contains("token="))
        #expect(!edition.body.contains(server.token(reader)))
        // The articles the reader got, from the sample feed.
        #expect(edition.body.contains("https://sample.israelhayom.test/2026/11/turkey-renews-isf-troop-offer/"))

        let feed = try await server.get("/archive/daily/feed.atom")
        #expect(feed.status == 200)
        #expect(feed.headers["content-type"]?.hasPrefix("application/atom+xml") == true)
        let parsed = try parseAtom(feed.body, in: server.folder)
        #expect(parsed.title == "Israel Hayom Sample Daily")
        #expect(parsed.entries == 1)
        #expect(parsed.firstLink == "http://127.0.0.1" + editionPath)

        #expect(try await server.get("/archive/nope/").status == 404)
        #expect(try await server.get("/archive/daily/2001-01-01T0700/").status == 404)
    }

    /// Title, entry count and first entry link, as Python's `xml.etree` reads the feed.
    private func parseAtom(_ xml: String, in folder: TemporaryDirectory) throws -> (
        title: String, entries: Int, firstLink: String
    ) {
        let file = folder.url.appendingPathComponent("feed.atom")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        let script = """
            import sys, xml.etree.ElementTree as ET
            ns = {"a": "http://www.w3.org/2005/Atom"}
            root = ET.parse(sys.argv[1]).getroot()
            entries = root.findall("a:entry", ns)
            print(root.find("a:title", ns).text)
            print(len(entries))
            print(entries[0].find("a:link", ns).get("href") if entries else "")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.count == 3 else { throw TestServerError("python read the feed as: \(lines)") }
        return (lines[0], Int(lines[1]) ?? -1, lines[2])
    }
}
