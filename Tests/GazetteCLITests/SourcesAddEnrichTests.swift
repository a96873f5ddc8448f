import Foundation
import GazetteTestSupport
import Testing

/// `gazette sources add` reads one or two article pages of the new source and turns
/// `enrich` on, saying why, only when they carry more than the feed.
@Suite struct SourcesAddEnrichTests {
    private func site(in folder: TemporaryDirectory, page: String) throws -> (LoopbackHTTPServer, URL) {
        let site = folder.url.appendingPathComponent("site")
        try FileManager.default.createDirectory(
            at: site.appendingPathComponent("2026/11/budget"), withIntermediateDirectories: true)
        let server = try LoopbackHTTPServer(serving: site)
        try """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Site</title><link>\(server.url(""))</link><description>x</description>
        <item><title>Budget vote</title><link>\(server.url("2026/11/budget/index.html"))</link><category>News</category></item>
        </channel></rss>
        """.write(to: site.appendingPathComponent("feed.xml"), atomically: true, encoding: .utf8)
        try page.write(to: site.appendingPathComponent("2026/11/budget/index.html"), atomically: true, encoding: .utf8)
        try TestConfig.write(in: folder.url, sources: [])
        return (server, site)
    }

    @Test func pagesWithADeeperSectionPathTurnEnrichOn() throws {
        let folder = try TemporaryDirectory("gazette-add-enrich")
        defer { folder.remove() }
        let page = """
            <html><head><title>Budget vote</title></head><body>
            <nav class="breadcrumb"><a href="/">Home</a> › <a href="/news/">News</a> › <a href="/news/politics/">Politics</a></nav>
            <h1>Budget vote</h1></body></html>
            """
        let (server, _) = try site(in: folder, page: page)
        let added = try GazetteBinary.run(["sources", "add", server.url("feed.xml"), "--name", "site"], in: folder.url)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("enrich = true: its pages carry the section path News > Politics"), "\(added.stdout)")
        let config = try String(contentsOf: folder.url.appendingPathComponent("gazette.toml"), encoding: .utf8)
        #expect(config.contains("backfill = 0\nenrich = true"))
    }

    @Test func pagesThatAddNothingLeaveEnrichOff() throws {
        let folder = try TemporaryDirectory("gazette-add-enrich")
        defer { folder.remove() }
        let (server, _) = try site(
            in: folder, page: "<html><head><title>Budget vote</title></head><body><h1>Budget vote</h1></body></html>")
        let added = try GazetteBinary.run(["sources", "add", server.url("feed.xml"), "--name", "site"], in: folder.url)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(!added.stdout.contains("enrich"))
        let config = try String(contentsOf: folder.url.appendingPathComponent("gazette.toml"), encoding: .utf8)
        #expect(!config.contains("enrich"))
        #expect(server.requests().contains("/2026/11/budget/index.html"))  // the page was read
    }
}
