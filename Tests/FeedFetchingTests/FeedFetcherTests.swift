import FeedFetching
import FeedParsing
import Foundation
import GazetteModel
import GazetteTestSupport
import Testing

/// The fetcher against a real HTTP server on 127.0.0.1 serving the sample site.
@Suite struct FeedFetcherTests {
    let server: LoopbackHTTPServer
    let fetcher: FeedFetcher

    init() throws {
        server = try LoopbackHTTPServer(serving: RepoPaths.sampleSite)
        var settings = FetchSettings()
        settings.hostGap = .zero
        fetcher = FeedFetcher(http: CurlHTTPClient(), settings: settings)
    }

    private func fetched(_ outcome: FetchOutcome) throws -> (ParsedFeed, FetchInfo) {
        guard case .fetched(let feed, let info) = outcome else { throw TestFailure("expected a fetched feed, got \(outcome)") }
        return (feed, info)
    }

    private func fetchError(_ path: String, with fetcher: FeedFetcher? = nil) async -> FetchError? {
        do {
            _ = try await (fetcher ?? self.fetcher).fetch(server.url(path), state: SourceState())
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Conditional GET

    @Test func aFreshFeedIsParsedAndAnUnchangedOneCostsOneConditionalRequest() async throws {
        let (feed, info) = try fetched(try await fetcher.fetch(server.url("feed.xml"), state: SourceState()))
        #expect(info.status == 200)
        #expect(feed.items.count == 24)
        #expect(info.validators.etag?.isEmpty == false)
        #expect(info.validators.lastModified?.hasSuffix("GMT") == true)
        let again = try await fetcher.fetch(server.url("feed.xml"), state: info.validators)
        guard case .notModified(let second) = again else { Issue.record("expected 304, got \(again)"); return }
        #expect(second.status == 304)
        #expect(server.requests() == ["/feed.xml", "/feed.xml"])
    }

    @Test func lastModifiedAloneEarnsA304() async throws {
        let (_, info) = try fetched(try await fetcher.fetch(server.url("feed.xml?validators=lm"), state: SourceState()))
        #expect(info.validators.etag == nil)
        let lastModified = try #require(info.validators.lastModified)
        let again = try await fetcher.fetch(server.url("feed.xml?validators=lm"), state: SourceState(lastModified: lastModified))
        guard case .notModified = again else { Issue.record("expected 304, got \(again)"); return }
    }

    @Test func cacheControlAndTTLPostponeTheNextFetchWithinTheCap() async throws {
        let before = Date(timeIntervalSince1970: 1_795_676_400)
        var fetcher = fetcher
        fetcher.now = { before }
        // The sample feed says <ttl>60</ttl>; max-age=600 is shorter, so the ttl wins.
        let (_, info) = try fetched(try await fetcher.fetch(server.url("feed.xml?cache=max-age%3D600"), state: SourceState()))
        let wait = try #require(info.nextFetchAfter).timeIntervalSince(before)
        #expect(wait == 60 * 60)
        // An Atom feed has no ttl: max-age alone decides, capped at two hours.
        let (_, atom) = try fetched(try await fetcher.fetch(server.url("opinions.atom?cache=max-age%3D31536000"), state: SourceState()))
        let capped = try #require(atom.nextFetchAfter).timeIntervalSince(before)
        #expect(capped == 120 * 60)
        let (_, uncached) = try fetched(try await fetcher.fetch(server.url("opinions.atom?cache=no-cache"), state: SourceState()))
        #expect(uncached.nextFetchAfter == nil)
    }

    // MARK: - Redirects

    @Test(arguments: [(301, true), (308, true), (302, false), (307, false)])
    func aPermanentRedirectMovesTheSourceATemporaryOneDoesNot(code: Int, permanent: Bool) async throws {
        let target = server.url("opinions.atom")
        let (feed, info) = try fetched(try await fetcher.fetch(server.url("redirect?to=\(target)&code=\(code)"), state: SourceState()))
        #expect(feed.format == .atom10)
        #expect(info.movedTo == (permanent ? target : nil))
    }

    @Test func aRedirectLoopIsNamedAsOne() async {
        let error = await fetchError("loop/a")
        guard case .redirectLoop(_, let repeated) = error else { Issue.record("expected a loop, got \(String(describing: error))"); return }
        #expect(repeated.hasSuffix("/loop/a"))
    }

    @Test func redirectsAreCapped() async throws {
        _ = try fetched(try await fetcher.fetch(server.url("chain/5"), state: SourceState()))
        #expect(await fetchError("chain/6") == .tooManyRedirects(url: server.url("chain/6"), limit: 5))
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "gopher://127.0.0.1/1"])
    func redirectsLeaveHTTPNever(_ target: String) async {
        let path = "redirect?to=\(target)"
        #expect(await fetchError(path) == .redirectRefused(url: server.url(path), target: target))
    }

    // MARK: - Errors

    @Test(arguments: [404, 410, 500])
    func anHTTPErrorIsReportedWithItsStatus(_ code: Int) async {
        let error = await fetchError("status/\(code)")
        #expect(error == .httpStatus(code, url: server.url("status/\(code)")))
        #expect(error?.description.contains("HTTP \(code)") == true)
    }

    @Test func tooManyRequestsWithRetryAfterIsHonoured() async {
        let now = Date(timeIntervalSince1970: 1_795_676_400)
        var fetcher = fetcher
        fetcher.now = { now }
        #expect(await fetchError("status/429?retry-after=120", with: fetcher) == .rateLimited(429, url: server.url("status/429?retry-after=120"), retryAfter: .seconds(120)))
        let httpDate = {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            return formatter.string(from: now.addingTimeInterval(600))
        }()
        let encoded = httpDate.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? httpDate
        guard case .rateLimited(503, _, let wait) = await fetchError("status/503?retry-after=\(encoded)", with: fetcher) else {
            Issue.record("expected 503 to be rate limiting")
            return
        }
        #expect(wait == .seconds(600))
    }

    // MARK: - Bodies

    @Test(arguments: ["gzip=1", "deflate=1", "br=1"])
    func compressedBodiesAreDecoded(_ option: String) async throws {
        let (feed, _) = try fetched(try await fetcher.fetch(server.url("feed.xml?\(option)"), state: SourceState()))
        #expect(feed.items.count == 24)
    }

    @Test func aBodyOverTheLimitIsRefused() async {
        var limited = fetcher
        limited.requestTemplate.maxBodyBytes = 1_000
        #expect(await fetchError("feed.xml", with: limited) == .tooLarge(url: server.url("feed.xml"), limit: 1_000))
    }

    @Test func aGzipBombStopsAtTheLimit() async {
        #expect(await fetchError("bomb") == .tooLarge(url: server.url("bomb"), limit: 15 * 1_048_576))
    }

    @Test func anEndlessBodyStopsAtTheLimit() async {
        var limited = fetcher
        limited.requestTemplate.maxBodyBytes = 2 * 1_048_576
        #expect(await fetchError("endless", with: limited) == .tooLarge(url: server.url("endless"), limit: 2 * 1_048_576))
    }

    @Test func aServerThatStallsMidBodyIsAbandoned() async {
        var impatient = fetcher
        impatient.requestTemplate.stallTimeout = .seconds(2)
        // Stalled, not timed out: libcurl gave up for lack of bytes, long before the 30 s total
        // timeout or the server's 60 s pause would have ended the transfer.
        #expect(await fetchError("feed.xml?stall=1", with: impatient) == .stalled(url: server.url("feed.xml?stall=1"), after: .seconds(2)))
    }

    @Test func aDripFeedEndsAtTheTotalTimeout() async {
        var impatient = fetcher
        impatient.requestTemplate.timeout = .seconds(3)
        let error = await fetchError("drip", with: impatient)
        #expect(error == .timedOut(url: server.url("drip"), after: .seconds(3)))
    }

    @Test func anHTMLPageInsteadOfAFeedIsSaidPlainly() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>".write(
            to: folder.url.appendingPathComponent("feed.html"), atomically: true, encoding: .utf8)
        let htmlServer = try LoopbackHTTPServer(serving: folder.url)
        let error = await { () async -> FetchError? in
            do {
                _ = try await fetcher.fetch(htmlServer.url("feed.html"), state: SourceState())
                return nil
            } catch { return error as? FetchError }
        }()
        guard case .notAFeed(_, let reason) = error else { Issue.record("expected notAFeed, got \(String(describing: error))"); return }
        #expect(reason.hasPrefix("this is a web page, not a feed: it announces no feed; `gazette sources add "), "\(reason)")
    }

    /// A site's home page given as a feed, under a Content-Type that does not say HTML and
    /// with markup libxml2 calls ill-formed: still named a web page, with the feeds it announces.
    @Test func aWebPageGivenAsAFeedNamesTheFeedsItAnnounces() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try """
            <!doctype html>
            <html><head><meta charset="utf-8"><link rel="alternate" type="application/rss+xml" href="/feed/">
            <link rel="alternate" type="application/atom+xml" href="https://example.org/atom.xml"></head>
            <body><p>Unclosed <br> tags &nbsp; everywhere</body></html>
            """.write(to: folder.url.appendingPathComponent("home.html"), atomically: true, encoding: .utf8)
        let htmlServer = try LoopbackHTTPServer(serving: folder.url)
        let error = await { () async -> FetchError? in
            do {
                _ = try await fetcher.fetch(htmlServer.url("home.html?type=text%2Fplain"), state: SourceState())
                return nil
            } catch { return error as? FetchError }
        }()
        guard case .notAFeed(_, let reason) = error else { Issue.record("expected notAFeed, got \(String(describing: error))"); return }
        #expect(reason.contains("this is a web page, not a feed: it announces \(htmlServer.url("feed/")), https://example.org/atom.xml"), "\(reason)")
    }

    @Test(arguments: ["text/plain", "application/octet-stream", "text/html"])
    func aFeedUnderAWrongContentTypeIsStillAFeed(_ type: String) async throws {
        let (feed, _) = try fetched(try await fetcher.fetch(server.url("feed.xml?type=\(type.replacingOccurrences(of: "/", with: "%2F"))"), state: SourceState()))
        #expect(feed.items.count == 24)
    }

    @Test func theHTTPCharsetDecidesTheEncoding() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // ISO-8859-8 bytes and no XML declaration: only the header says what they are.
        let xml = "<rss version=\"2.0\"><channel><title>חדשות</title><item><title>שלום</title><link>https://he.sample.test/1</link></item></channel></rss>"
        let iso8859_8 = xml.unicodeScalars.map { scalar -> UInt8 in
            (0x05D0...0x05EA).contains(scalar.value) ? UInt8(0xE0 + scalar.value - 0x05D0) : UInt8(scalar.value)
        }
        try Data(iso8859_8).write(to: folder.url.appendingPathComponent("he.xml"))
        let hebrewServer = try LoopbackHTTPServer(serving: folder.url)
        let type = "application/rss%2Bxml%3B%20charset%3DISO-8859-8"
        let (feed, _) = try fetched(try await fetcher.fetch(hebrewServer.url("he.xml?type=\(type)"), state: SourceState()))
        #expect(feed.title == "חדשות")
        #expect(feed.items.first?.title == "שלום")
    }

    @Test func fileURLsAreReadAndOtherSchemesRefused() async throws {
        let local = RepoPaths.sampleSite.appendingPathComponent("opinions.atom").absoluteString
        let (feed, _) = try fetched(try await fetcher.fetch(local, state: SourceState()))
        #expect(feed.items.count == 8)
        await #expect(throws: FetchError.unsupportedScheme("ftp", url: "ftp://127.0.0.1/feed")) {
            try await fetcher.fetch("ftp://127.0.0.1/feed", state: SourceState())
        }
        await #expect {
            try await fetcher.fetch("file:///nonexistent/feed.xml", state: SourceState())
        } throws: { error in
            guard case .unreadableFile(let path, _) = error as? FetchError else { return false }
            return path == "/nonexistent/feed.xml"
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
