import FeedFetching
import Foundation
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

@testable import GazetteApp
@testable import Mailing

/// Subscribers who get the same digest are served from one shared rendering
/// (`DigestDelivery.RenderCache`); each still gets the bytes `gazette preview` renders in full
/// for them, HTML budget trims included.
@Suite struct SharedRenderingTests {
    /// Readers of the whole list (so they share one digest), named for what they exercise.
    static let csv = """
        email,name,lists,sections,tags
        editor@gazette.test,Dana Editor,daily,,
        reader@gazette.test,נועה ברק,daily,,
        quotes@gazette.test,"Dana ""DJ"" O'Neil",daily,,
        markup@gazette.test,Tom & Jerry <fans> & co,daily,,
        long@gazette.test,Maximilian Alexander Konstantin von und zu Hohenzollern-Sigmaringen-Liechtenstein the Third,daily,,
        longhebrew@gazette.test,אברהם בן דוד הלוי מבית המדרש הגדול שבעיר העתיקה ירושלים עיר הקודש והמקדש,daily,,
        noname@gazette.test,,daily,,
        reader+digest@gazette.test,Plus Addressed,daily,,
        reader@xn--4dbrk0ce.test,IDNA Domain,daily,,
        decomposed@gazette.test,Rene\u{301}e,daily,,
        emoji@gazette.test,Dana 👩‍💻,daily,,
        follower@gazette.test,Follows Opinions,daily,Opinions,
        """

    @Test(arguments: [(nil, "en"), (24, "en"), (24, "he")] as [(Int?, String)])
    func everyMessageIsWhatPreviewRendersInFull(htmlBudgetKB: Int?, language: String) async throws {
        let folder = try TemporaryDirectory("gazette-shared")
        defer { folder.remove() }
        try TestConfig.write(
            in: folder.url, top: ["database = \"gazette.sqlite\"", "timezone = \"Asia/Jerusalem\""],
            list: [
                "unsubscribe_url = \"https://news.sample.test/unsubscribe?token={token}\"",
                "preferences_url = \"https://news.sample.test/preferences?token={token}&from=digest\"",
                "language = \"\(language)\"",
            ] + (htmlBudgetKB.map { ["html_budget_kb = \($0)"] } ?? []))
        let config = try ConfigLoader.load(path: folder.path("gazette.toml"))
        let recorder = PreviewFidelityTests.RecordingTransport()
        let environment = try PreviewFidelityTests.fixedEnvironment(config, recorder: recorder)
        _ = try SubscriberAdmin(config: config).importCSV(text: Self.csv, defaultList: nil, environment: environment)
        _ = try await SourceFetch().run(config.sources, environment: environment)

        let emails = Self.csv.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
        var previews: [String: Data] = [:]
        for email in emails {
            let preview = try Preview(config: config).run(listName: "daily", email: email, environment: environment)
            previews[email] = preview.eml
            // Without a budget the HTML is past 24 kB, so the 24 kB budget trims every digest (and
            // leaves more than the chrome: with 12 section headings, the chrome alone is about 15 kB as sent).
            // The budget counts the part as sent, transfer-encoded.
            if htmlBudgetKB == nil {
                #expect(preview.rendered.htmlEncodedSize.bytes > 24_000)
            } else {
                #expect(preview.rendered.htmlEncodedSize.bytes <= 24_000)
                #expect(Self.htmlPartAsSent(preview.eml).count <= 24_000, "\(email)")
            }
        }
        let report = try await DailyRun(config: config, fetchFirst: false).run(environment: environment)
        #expect(report.sent == emails.count, "\(report.deliveries.prefix(2).map { String(describing: $0.outcome) })")
        let sent = await recorder.messages
        for email in emails {
            let message = try #require(sent.first { $0.recipient == email })
            #expect(message.data == previews[email], "preview and send differ for \(email)")
        }
    }

    /// The HTML part's bytes as they are in the message, transfer-encoded.
    static func htmlPartAsSent(_ eml: Data) -> Data {
        let text = String(decoding: eml, as: UTF8.self)
        guard let head = text.range(of: "Content-Type: text/html; charset=utf-8\r\n"),
            let bodyStart = text.range(of: "\r\n\r\n", range: head.upperBound..<text.endIndex),
            let end = text.range(of: "\r\n--", range: bodyStart.upperBound..<text.endIndex)
        else { return Data() }
        return Data(text[bodyStart.upperBound..<end.lowerBound].utf8)
    }

    /// The cache renders a digest for sharing from its first subscriber (the same rendering
    /// measures it against the budget), and keeps it apart from digests that differ in
    /// content or in the reader's shape (a name or none).
    @Test func aDigestIsSharedFromItsFirstSubscriber() throws {
        let folder = try TemporaryDirectory("gazette-cache")
        defer { folder.remove() }
        let now = Self.cacheNow
        let environment = try Self.cacheEnvironment(in: folder)
        let article = Article.fixture("One story", section: "News", firstSeenAt: now - 60)
        func digest(_ subscriber: Subscriber, articles: [Article] = [article]) -> Digest {
            Digest(
                list: .fixture(), subscriber: subscriber, window: DigestWindow(start: now - 86_400, end: now),
                sections: [DigestSection(path: article.section, articles: articles)], tagIndex: [])
        }
        func personal(_ subscriber: Subscriber) -> DigestPersonalization {
            DigestPersonalization(
                subscriber: subscriber, links: DigestLinks(unsubscribeMailto: "mailto:x@sample.test?subject=\(subscriber.email)"))
        }
        let readers = (1...3).map { Subscriber(id: Int64($0), email: "r\($0)@sample.test", name: "Reader \($0)", createdAt: now) }
        let unnamed = Subscriber(id: 9, email: "n@sample.test", createdAt: now)
        var cache = DigestDelivery.RenderCache(templates: environment.templates)
        func lookup(_ subscriber: Subscriber, articles: [Article] = [article]) -> DigestMessageTemplate? {
            cache.template(
                for: digest(subscriber, articles: articles), personalization: personal(subscriber), date: now, timeZone: .gmt,
                environment: environment)
        }
        let first = try #require(lookup(readers[0]))
        #expect(first.shape == personal(readers[0]).shape)
        let unnamedTemplate = try #require(lookup(unnamed))  // another shape: a digest of its own
        #expect(unnamedTemplate.shape != first.shape)
        let second = try #require(lookup(readers[1]))
        #expect(second.htmlEncodedSize(personal(readers[1])) != nil)
        let other = Article.fixture("Another story", section: "News", firstSeenAt: now - 30)
        let longer = try #require(lookup(readers[0], articles: [article, other]))  // other content
        let size = { (template: DigestMessageTemplate) in template.htmlEncodedSize(personal(readers[0]))?.bytes ?? 0 }
        #expect(size(longer) > size(first))
    }

    /// The cache keeps its `capacity` most recently used digests: a digest used again stays,
    /// the one unused longest goes (a template kept is the same instance, with its memo).
    @Test func theLeastRecentlyUsedDigestGoesFirst() throws {
        let folder = try TemporaryDirectory("gazette-lru")
        defer { folder.remove() }
        let now = Self.cacheNow
        let environment = try Self.cacheEnvironment(in: folder)
        let reader = Subscriber(id: 1, email: "r@sample.test", name: "Reader", createdAt: now)
        let personal = DigestPersonalization(subscriber: reader, links: DigestLinks(unsubscribeMailto: "mailto:x@sample.test"))
        var cache = DigestDelivery.RenderCache(templates: environment.templates)
        cache.capacity = 2
        func template(_ title: String) throws -> DigestMessageTemplate {
            let article = Article.fixture(title, section: "News", firstSeenAt: now - 60)
            let digest = Digest(
                list: .fixture(), subscriber: reader, window: DigestWindow(start: now - 86_400, end: now),
                sections: [DigestSection(path: article.section, articles: [article])], tagIndex: [])
            let made = cache.template(for: digest, personalization: personal, date: now, timeZone: .gmt, environment: environment)
            return try #require(made)
        }
        let first = try template("A")
        let second = try template("B")
        #expect(try template("A").headers === first.headers)  // kept, and now the most recent
        _ = try template("C")  // B, unused longest, goes
        #expect(try template("A").headers === first.headers)
        #expect(try template("B").headers !== second.headers)
    }

    static let cacheNow = Date(timeIntervalSince1970: 1_795_676_400)

    /// An environment for driving a `RenderCache` by hand: a database in `folder`, nothing sent.
    static func cacheEnvironment(in folder: TemporaryDirectory) throws -> AppEnvironment {
        AppEnvironment(
            database: try AppDatabase.open(path: folder.path("g.sqlite")), http: OfflineHTTPClient(),
            transport: PreviewFidelityTests.RecordingTransport(), templates: try DigestTemplates.load(), now: { cacheNow },
            makeToken: { "t" }, signingKey: SigningKey(secret: Data("k".utf8)))
    }

    /// Trimming is measured for a stand-in reader with the longest address and name, so
    /// readers of one digest share one trimming whatever their own lengths, and every one of
    /// them fits; a reader longer still is measured as themselves.
    @Test func theBudgetIsMeasuredForTheLongestReader() throws {
        let now = Date(timeIntervalSince1970: 1_795_676_400)
        let links = DigestLinks(unsubscribeMailto: "mailto:x@sample.test?subject=unsubscribe")
        let short = Subscriber(id: 1, email: "a@b.test", name: "Al", createdAt: now)
        let long = Subscriber(id: 2, email: String(repeating: "l", count: 60) + "@sample.test", name: "Tom & Jerry <fans>", createdAt: now)
        let unnamed = Subscriber(id: 3, email: "n@sample.test", createdAt: now)
        let huge = Subscriber(id: 4, email: "h@sample.test", name: String(repeating: "&", count: 60), createdAt: now)
        func measuring(_ subscriber: Subscriber) -> DigestPersonalization {
            DigestPersonalization(subscriber: DigestDelivery.sizingReader(for: subscriber), links: links)
        }
        #expect(measuring(short).byteLengths == measuring(long).byteLengths)
        #expect(measuring(short).shape == DigestPersonalization(subscriber: short, links: links).shape)
        #expect(measuring(unnamed).shape == DigestPersonalization(subscriber: unnamed, links: links).shape)
        #expect(measuring(unnamed).shape != measuring(short).shape)
        for subscriber in [short, long, unnamed] {
            let own = DigestPersonalization(subscriber: subscriber, links: links).byteLengths
            #expect(zip(own, measuring(subscriber).byteLengths).allSatisfy { $0 <= $1 }, "\(subscriber.email)")
        }
        // 60 ampersands escape to 300 bytes, past the stand-in's 200: measured as they are.
        #expect(DigestDelivery.sizingReader(for: huge) == huge)
        let digest = Digest(
            list: .fixture(), subscriber: short, window: DigestWindow(start: now - 86_400, end: now), sections: [], tagIndex: [])
        var other = digest
        other.subscriber = long
        #expect(
            DigestDelivery.FitCache.key(digest, measuring: measuring(short))
                == DigestDelivery.FitCache.key(other, measuring: measuring(long)))
    }
}
