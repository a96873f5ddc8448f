import FeedFetching
import FeedParsing
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

/// A site edits an item after Gazette first read it: the next fetch, from a real HTTP server
/// on 127.0.0.1 into a real SQLite file, updates the stored article in place.
@Suite struct ArticleUpdateFetchTests {
    final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_795_676_400)
    }

    private func feed(_ item: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Site</title><link>https://site.sample.test/</link><description>x</description>
        <item><title>Budget vote</title><link>https://site.sample.test/2026/11/budget/</link>
        <guid>https://site.sample.test/?p=41</guid>\(item)</item></channel></rss>
        """
    }

    @Test func aFeedsEditReachesTheStoredArticleOnTheNextFetch() async throws {
        let folder = try TemporaryDirectory("gazette-update")
        defer { folder.remove() }
        let site = folder.url.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        let file = site.appendingPathComponent("feed.xml")
        try feed("").write(to: file, atomically: true, encoding: .utf8)
        let server = try LoopbackHTTPServer(serving: site)
        let clock = Clock()
        let database = try AppDatabase.open(path: folder.path("gazette.sqlite"))
        let environment = AppEnvironment(
            database: database, http: CurlHTTPClient(),
            transport: MaildirTransport(directory: folder.url.appendingPathComponent("outbox")),
            templates: try DigestTemplates.load(), now: { clock.now })
        var fetch = SourceFetch()
        fetch.settings.hostGap = .zero
        let sources = [Source(name: "site", feedURL: server.url("feed.xml"), backfill: 10)]

        let first = try await fetch.run(sources, environment: environment)
        #expect(first.map(\.outcome) == [.fetched(items: 1, new: 1)])
        try feed(
            """
            <title>Budget vote delayed to Monday</title><description>The Knesset postponed the vote.</description>
            <category>News</category><category>Knesset</category><pubDate>Wed, 26 Nov 2026 06:00:00 GMT</pubDate>
            """
        ).replacingOccurrences(of: "<title>Budget vote</title>", with: "").write(to: file, atomically: true, encoding: .utf8)
        clock.now += 3_600
        let now = clock.now
        let second = try await fetch.run(sources, environment: environment)
        #expect(second.map(\.outcome) == [.fetched(items: 1, new: 0)])  // not new: the same article
        let stored = try database.articles(firstSeenIn: DigestWindow(start: now - 86_400, end: now))
        #expect(stored.count == 1)
        #expect(stored.first?.title == "Budget vote delayed to Monday")
        #expect(stored.first?.summary == "The Knesset postponed the vote.")
        #expect(stored.first?.firstSeenAt == now - 3_600)
        #expect(stored.first?.publishedAt == FeedDate.parse("2026-11-26T06:00:00Z"))
    }
}
