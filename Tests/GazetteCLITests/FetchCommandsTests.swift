import Foundation
import GazetteTestSupport
import Testing

/// `gazette parse-feed` and `gazette sources add`, run as a user would.
@Suite struct FetchCommandsTests {
    @Test func parseFeedPrintsOneJSONObjectPerInputInOrder() throws {
        let folder = try TemporaryDirectory("gazette-parse")
        defer { folder.remove() }
        let feed = RepoPaths.sampleSite.appendingPathComponent("feed.xml").path
        let atom = RepoPaths.sampleSite.appendingPathComponent("opinions.atom").path
        let result = try GazetteBinary.run(["parse-feed", "--json", feed, "/nonexistent.xml", atom], in: folder.url)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(result.status == 3)  // one of three failed
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects[0]["format"] as? String == "rss20")
        #expect(objects[1]["file"] as? String == "/nonexistent.xml")
        #expect((objects[1]["error"] as? String)?.contains("cannot read") == true)
        #expect(objects[2]["format"] as? String == "atom10")
        // Keys come in the documented order, and times are RFC 3339 UTC.
        #expect(lines[0].hasPrefix("{\"format\": \"rss20\", \"feed\": {\"title\": "))
        let entry = try #require((objects[0]["entries"] as? [[String: Any]])?.first)
        #expect(Set(entry.keys) == ["id", "title", "link", "summary", "content", "published", "updated", "authors", "categories", "enclosures", "image"])
        #expect((entry["published"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
    }

    @Test func parseFeedOnSomethingThatIsNoFeedSaysSoOnOneLine() throws {
        let folder = try TemporaryDirectory("gazette-parse")
        defer { folder.remove() }
        try "<html><body>Not a feed</body></html>".write(to: folder.url.appendingPathComponent("page.html"), atomically: true, encoding: .utf8)
        let result = try GazetteBinary.run(["parse-feed", "--json", "page.html"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("not an RSS, Atom or JSON feed"))
    }

    @Test func sourcesAddDiscoversAFeedAndAppendsItToTheConfig() throws {
        let folder = try TemporaryDirectory("gazette-add")
        defer { folder.remove() }
        let site = folder.url.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: RepoPaths.sampleSite.appendingPathComponent("feed.xml"), to: site.appendingPathComponent("feed.xml"))
        try FileManager.default.copyItem(at: RepoPaths.sampleSite.appendingPathComponent("opinions.atom"), to: site.appendingPathComponent("opinions.atom"))
        try """
            <html><head>
            <link rel="alternate" type="application/rss+xml" title="News" href="/feed.xml">
            <link rel="alternate" type="application/atom+xml" title="Opinions" href="opinions.atom">
            </head><body>Home</body></html>
            """.write(to: site.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        let server = try LoopbackHTTPServer(serving: site)
        try TestConfig.write(in: folder.url, sources: [])
        let before = try String(contentsOf: folder.url.appendingPathComponent("gazette.toml"), encoding: .utf8)

        let offered = try GazetteBinary.run(["sources", "add", server.url("index.html")], in: folder.url)
        #expect(offered.status == 0)
        #expect(offered.stdout.contains("1. \(server.url("feed.xml"))  (RSS: News)"))
        #expect(offered.stdout.contains("2. \(server.url("opinions.atom"))  (Atom: Opinions)"))
        #expect(offered.stdout.contains("--pick"))
        #expect(try String(contentsOf: folder.url.appendingPathComponent("gazette.toml"), encoding: .utf8) == before)

        let added = try GazetteBinary.run(["sources", "add", server.url("index.html"), "--pick", "2", "--name", "opinions", "--backfill", "3"], in: folder.url)
        #expect(added.status == 0, "\(added.stderr)")
        let after = try String(contentsOf: folder.url.appendingPathComponent("gazette.toml"), encoding: .utf8)
        #expect(after.hasPrefix(before))
        #expect(after.contains("name = \"opinions\"\nfeed = \"\(server.url("opinions.atom"))\"\nbackfill = 3"))

        let again = try GazetteBinary.run(["sources", "add", server.url("opinions.atom"), "--name", "opinions"], in: folder.url)
        #expect(again.status == 5, "a source already configured is a conflict, not a config error")
        #expect(again.stderr.contains("is already the source 'opinions'"), "\(again.stderr)")
        #expect(!again.stderr.contains("line 0"))

        let fetched = try GazetteBinary.run(["fetch"], in: folder.url)
        #expect(fetched.stdout.contains("opinions: 8 items, 3 new"), "\(fetched.stdout) \(fetched.stderr)")
    }
}
