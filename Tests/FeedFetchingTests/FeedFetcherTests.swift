import FeedFetching
import FeedParsing
import Foundation
import GazetteModel
import GazetteTestSupport
import Testing

/// The fetcher against a real HTTP server on 127.0.0.1 serving the sample site.
@Suite struct FeedFetcherTests {
    let server: LoopbackHTTPServer
    let fetcher = FeedFetcher(http: CurlHTTPClient())

    init() throws {
        server = try LoopbackHTTPServer(serving: RepoPaths.sampleSite)
    }

    private func source(_ url: String) -> Source { Source(name: "s", feedURL: url) }

    @Test func aFreshFeedIsParsedAndAnUnchangedOneCostsA304() async throws {
        guard case .fetched(let feed, let state, let status) = try await fetcher.fetch(source(server.url("feed.xml")), state: SourceState())
        else { Issue.record("expected a fetched feed"); return }
        #expect(status == 200)
        #expect(feed.items.count == 24)
        #expect(state.etag?.isEmpty == false)
        #expect(state.lastModified?.hasSuffix("GMT") == true)
        let again = try await fetcher.fetch(source(server.url("feed.xml")), state: state)
        guard case .notModified = again else { Issue.record("expected 304, got \(again)"); return }
    }

    @Test func anHTTPErrorIsReportedWithItsStatus() async {
        await #expect(throws: FetchError.httpStatus(404, url: server.url("missing.xml"))) {
            try await fetcher.fetch(source(server.url("missing.xml")), state: SourceState())
        }
    }

    @Test func aBodyOverTheLimitIsRefused() async {
        var limited = fetcher
        limited.requestTemplate.maxBodyBytes = 1_000
        await #expect(throws: FetchError.tooLarge(url: server.url("feed.xml"), limit: 1_000)) {
            try await limited.fetch(source(server.url("feed.xml")), state: SourceState())
        }
    }

    @Test func redirectsAreFollowedButNeverToAFile() async throws {
        let followed = try await fetcher.fetch(source(server.url("redirect?to=/opinions.atom")), state: SourceState())
        guard case .fetched(let feed, _, _) = followed else { Issue.record("expected the redirect to be followed"); return }
        #expect(feed.format == .atom)
        await #expect {
            try await fetcher.fetch(source(server.url("redirect?to=file:///etc/passwd")), state: SourceState())
        } throws: { error in
            guard case .transport(_, let reason) = error as? FetchError else { return false }
            return !reason.isEmpty
        }
    }

    @Test func fileURLsAreReadAndOtherSchemesRefused() async throws {
        let local = RepoPaths.sampleSite.appendingPathComponent("opinions.atom").absoluteString
        guard case .fetched(let feed, _, _) = try await fetcher.fetch(source(local), state: SourceState()) else {
            Issue.record("expected a fetched feed")
            return
        }
        #expect(feed.items.count == 8)
        await #expect(throws: FetchError.unsupportedScheme("ftp", url: "ftp://127.0.0.1/feed")) {
            try await fetcher.fetch(source("ftp://127.0.0.1/feed"), state: SourceState())
        }
        await #expect {
            try await fetcher.fetch(source("file:///nonexistent/feed.xml"), state: SourceState())
        } throws: { error in
            guard case .unreadableFile(let path, _) = error as? FetchError else { return false }
            return path == "/nonexistent/feed.xml"
        }
    }

    @Test func anHTMLPageInsteadOfAFeedIsSaidPlainly() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>".write(
            to: folder.url.appendingPathComponent("feed.html"), atomically: true, encoding: .utf8)
        let htmlServer = try LoopbackHTTPServer(serving: folder.url)
        await #expect {
            try await fetcher.fetch(source(htmlServer.url("feed.html")), state: SourceState())
        } throws: { error in
            guard case .notAFeed(_, let reason) = error as? FetchError else { return false }
            return reason.contains("HTML page") || reason.contains("not well-formed")
        }
    }
}
