import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

/// A year of daily runs over 200 new articles a day, with the weekly prune `gazette run`
/// does on its own: every digest goes out, and the database stays within a bound.
@Suite struct RetentionTests {
    struct CountingTransport: MailTransport {
        func deliver(_ message: OutgoingMessage) async throws {}
    }

    final class Clock: @unchecked Sendable {
        var now: Date
        init(_ now: Date) { self.now = now }
    }

    /// The documented bound (README, docs/benchmarks.md) for 200 articles a day, one year.
    static let boundBytes: Int64 = 40 * 1024 * 1024

    @Test func aYearOfDailyRunsStaysSmall() async throws {
        let folder = try TemporaryDirectory("gazette-year")
        defer { folder.remove() }
        let zone = TimeZone(identifier: "Asia/Jerusalem") ?? .gmt
        var list = SubscriberList.fixture()
        list.rules.stabilization = 0
        list.rules.maxArticles = 30
        var config = GazetteConfig(
            file: "gazette.toml", databasePath: folder.path("gazette.sqlite"), timeZone: zone, delivery: .outbox(folder: "/unused"),
            retryDelays: [], sources: [], lists: [list])
        config.retentionDays = 60
        config.forgetDays = 240
        // 2026-01-01 07:05 in Jerusalem.
        let clock = Clock(Date(timeIntervalSince1970: 1_767_243_900))
        let database = try AppDatabase.open(path: config.databasePath)
        try database.syncSources([Source(name: "sample", feedURL: "file:///unused")])
        let environment = AppEnvironment(
            database: database, http: OfflineHTTPClient(), transport: CountingTransport(), templates: try DigestTemplates.load(),
            now: { clock.now })
        try SubscriberAdmin(config: config).add(NewSubscriber(email: "reader@sample.test"), environment: environment)

        var sent = 0
        for day in 0..<365 {
            let articles = (0..<200).map { index in
                var article = Article.fixture(
                    "Day \(day) story \(index) about the news of the day", url: "https://year.test/\(day)/\(index)",
                    section: ["News > Israel", "News > World", "Opinions", "Business", "Sports"][index % 5],
                    tags: ["Tag \(index % 40)", "Tag \((index * 7) % 40)"], firstSeenAt: clock.now - Double(200 - index) * 300)
                article.summary = String(repeating: "A sentence of summary. ", count: 12)
                return article
            }
            _ = try database.insertNewArticles(articles)
            sent += try await DailyRun(config: config, fetchFirst: false).run(environment: environment).sent
            clock.now += 86_400
        }
        #expect(sent == 365)
        let size = try database.fileSize()
        print("a year of 200 articles a day: \(size / 1024) KiB after pruning, \(try database.articleCount()) article rows")
        #expect(size < Self.boundBytes)
        #expect(try database.articleCount() <= 241 * 200)
        #expect(try database.deliveries().count <= 62)
        // Yesterday's articles still deduplicate: the feed listing them again adds nothing.
        let again = Article.fixture("Day 364 story 5 about the news of the day", url: "https://year.test/364/5", firstSeenAt: clock.now)
        #expect(try database.insertNewArticles([again]).isEmpty)
    }
}
