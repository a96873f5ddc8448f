import FeedFetching
import FeedParsing
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

/// Reading new articles' own pages, from a real HTTP server on 127.0.0.1 serving the sample
/// site's pages, into a real SQLite file.
@Suite struct ArticlePagesTests {
    final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_795_676_400)
    }

    struct Setup {
        let folder: TemporaryDirectory
        let server: LoopbackHTTPServer
        let environment: AppEnvironment
        let clock: Clock
        var site: URL { folder.url.appendingPathComponent("site") }

        func page(_ slug: String) -> String { server.url("2026/11/\(slug)/") }

        func write(_ text: String, to name: String) throws {
            try text.write(to: site.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }

        /// Articles stored for `source`, by URL.
        func articles() throws -> [String: Article] {
            let all = try environment.database.articles(firstSeenIn: DigestWindow(start: .distantPast, end: .distantFuture))
            return Dictionary(all.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    static let slugs = [
        "turkey-role-gaza-force", "reservists-return-north", "shekel-strongest-in-decade", "jerusalem-light-rail-blue-line",
        "knesset-draft-law-vote",
    ]

    private func setUp() throws -> Setup {
        let folder = try TemporaryDirectory("gazette-pages")
        let site = folder.url.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: RepoPaths.sampleSite.appendingPathComponent("2026"), to: site.appendingPathComponent("2026"))
        let server = try LoopbackHTTPServer(serving: site)
        let clock = Clock()
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: folder.path("gazette.sqlite")), http: CurlHTTPClient(),
            transport: MaildirTransport(directory: folder.url.appendingPathComponent("outbox")), templates: try DigestTemplates.load(),
            now: { clock.now })
        return Setup(folder: folder, server: server, environment: environment, clock: clock)
    }

    private func fetch(_ sources: [Source], _ setup: Setup) async throws -> [SourceFetchResult] {
        var fetch = SourceFetch()
        fetch.settings.hostGap = .zero
        fetch.sites = [SiteRules(
            host: "127.0.0.1", section: ".section-label", author: ".byline", date: ".entry-date", dateFormat: "dd-MM-yyyy HH:mm",
            timeZone: TimeZone(identifier: "Asia/Jerusalem"), sectionMap: ["Israel at War": "Israel"])]
        fetch.aliases = NameAliases(["IDF": "Israel Defense Forces"])
        return try await fetch.run(sources, environment: setup.environment)
    }

    private func feed(_ links: [String]) -> String {
        "<rss version=\"2.0\"><channel><title>Latest</title>"
            + links.enumerated().map { "<item><title>Story \($0.offset)</title><link>\($0.element)</link></item>" }.joined()
            + "</channel></rss>"
    }

    @Test func aFeedWithoutCategoriesGetsItsSectionsAndTagsFromThePages() async throws {
        let setup = try setUp()
        defer { setup.folder.remove() }
        try setup.write(feed(Self.slugs.map(setup.page)), to: "latest.xml")
        let results = try await fetch([Source(name: "latest", feedURL: setup.server.url("latest.xml"), backfill: 10, enrich: true)], setup)
        #expect(results.first?.pagesRead == 5)
        #expect(results.first?.pageFailures.isEmpty == true)
        let articles = try setup.articles()
        let turkey = try #require(articles[setup.page("turkey-role-gaza-force")])
        #expect(turkey.section.components == ["News", "Middle East", "Peace Process", "Trump Plan"])
        #expect(turkey.tags == ["Azerbaijan", "international stabilization force", "ISF", "Israel", "Turkey"])
        #expect(turkey.authors == ["Ariel Kahana"])
        #expect(turkey.title == "Story 0")  // the feed's words are kept
        #expect(turkey.imageCaption == "נשיא טורקיה רג'פ טאיפ ארדואן באנקרה")
        let reservists = try #require(articles[setup.page("reservists-return-north")])
        #expect(reservists.section.components == ["Israel"])
        #expect(reservists.tags.first == "Israel Defense Forces")  // the config's alias
        let blueLine = try #require(articles[setup.page("jerusalem-light-rail-blue-line")])
        #expect(blueLine.publishedAt == FeedDate.parse("2026-11-25T16:05:00Z"))
        #expect(blueLine.section.components == ["Local", "Jerusalem"])
        let knesset = try #require(articles[setup.page("knesset-draft-law-vote")])
        #expect(knesset.section.components == ["חדשות", "פוליטי"])
        #expect(knesset.language == "he")
        // Read once: the next run finds nothing waiting.
        setup.clock.now += 3600
        let again = try await fetch([Source(name: "latest", feedURL: setup.server.url("latest.xml"), enrich: true)], setup)
        #expect(again.first?.pagesRead == 0)
        #expect(setup.server.requests().filter { $0.hasPrefix("/2026/") }.count == 5)
    }

    @Test func aMissingPageNeverCostsTheArticleAndAServerErrorIsRetried() async throws {
        let setup = try setUp()
        defer { setup.folder.remove() }
        try setup.write(feed([setup.server.url("2026/11/gone/"), setup.server.url("status/500"), setup.page("shekel-strongest-in-decade")]), to: "latest.xml")
        let source = Source(name: "latest", feedURL: setup.server.url("latest.xml"), backfill: 10, enrich: true)
        let first = try await fetch([source], setup)
        #expect(first.first?.pagesRead == 1)
        #expect(first.first?.pageFailures.count == 2)
        #expect(first.first?.pageFailures.contains { $0.contains("HTTP 404") } == true)
        let articles = try setup.articles()
        #expect(articles.count == 3)
        #expect(articles[setup.server.url("2026/11/gone/")]?.title == "Story 0")
        // The 404 was final; the 500 waits for the next run, which tries it once more.
        let waiting = try setup.environment.database.articlesAwaitingPage(sourceName: "latest", firstSeenAfter: .distantPast)
        #expect(waiting.map(\.url) == [setup.server.url("status/500")])
        setup.clock.now += 7 * 3600  // past the retry period: recorded as failed for good
        _ = try await fetch([source], setup)
        #expect(try setup.environment.database.articlesAwaitingPage(sourceName: "latest", firstSeenAfter: .distantPast).isEmpty)
        #expect(setup.server.requests().filter { $0 == "/status/500" }.count == 2)
    }

    @Test func aNewsSitemapIsASource() async throws {
        let setup = try setUp()
        defer { setup.folder.remove() }
        try """
            <?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
            <url><loc>\(setup.page("turkey-role-gaza-force"))</loc><news:news><news:publication_date>2026-11-26T13:22:00Z</news:publication_date></news:news></url>
            <url><loc>\(setup.page("shekel-strongest-in-decade"))</loc></url>
            </urlset>
            """.write(to: setup.site.appendingPathComponent("news-sitemap.xml"), atomically: true, encoding: .utf8)
        let results = try await fetch([Source(name: "sitemap", feedURL: setup.server.url("news-sitemap.xml"), backfill: 10, kind: .sitemap)], setup)
        #expect(results.first?.outcome == .fetched(items: 2, new: 2))
        #expect(results.first?.pagesRead == 2)
        let articles = try setup.articles()
        #expect(articles[setup.page("turkey-role-gaza-force")]?.title == "Turkey pushes for role in Gaza force despite Israeli veto")
        #expect(articles[setup.page("shekel-strongest-in-decade")]?.section.components == ["Business", "Economy"])
    }

    @Test func aSectionPageWithALinkRuleIsASource() async throws {
        let setup = try setUp()
        defer { setup.folder.remove() }
        try """
            <html><body><nav><a href="/about/">About</a></nav><div class="river">
            <h2><a href="/2026/11/reservists-return-north/">Reservists</a></h2>
            <h2><a href="/2026/11/knesset-draft-law-vote/">Knesset</a></h2></div></body></html>
            """.write(to: setup.site.appendingPathComponent("news.html"), atomically: true, encoding: .utf8)
        let source = Source(name: "news-page", feedURL: setup.server.url("news.html"), backfill: 10, kind: .page, linkSelector: ".river h2 a")
        let results = try await fetch([source], setup)
        #expect(results.first?.outcome == .fetched(items: 2, new: 2))
        let articles = try setup.articles()
        #expect(articles[setup.page("knesset-draft-law-vote")]?.title == "הכנסת מצביעה היום על חוק הגיוס")
        #expect(articles[setup.page("reservists-return-north")]?.authors == ["Yael Ben-David"])
    }

    @Test func aPageWhoseCanonicalURLIsAnotherStoredArticleIsOneStory() async throws {
        let setup = try setUp()
        defer { setup.folder.remove() }
        let canonical = setup.page("shekel-strongest-in-decade")
        try FileManager.default.createDirectory(at: setup.site.appendingPathComponent("amp"), withIntermediateDirectories: true)
        try setup.write("<html><head><link rel=\"canonical\" href=\"\(canonical)\"></head><body>AMP copy</body></html>", to: "amp/index.html")
        try setup.write("<html><head><link rel=\"canonical\" href=\"https://elsewhere.sample.test/phish\"></head><body>x</body></html>", to: "other.html")
        try setup.write(feed([canonical, setup.server.url("amp/"), setup.server.url("other.html")]), to: "latest.xml")
        _ = try await fetch([Source(name: "latest", feedURL: setup.server.url("latest.xml"), backfill: 10, enrich: true)], setup)
        let articles = try setup.articles()
        #expect(articles.keys.sorted() == [canonical, setup.server.url("other.html")].sorted())  // the AMP copy is held back
        #expect(articles[setup.server.url("other.html")] != nil)  // another site's canonical is not believed
    }
}
