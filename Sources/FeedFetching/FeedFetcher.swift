import FeedParsing
import Foundation
import GazetteModel

/// What a fetch of one source produced.
public enum FetchOutcome: Sendable {
    /// The server said nothing changed (HTTP 304); nothing was parsed.
    case notModified(FetchInfo)
    /// A fresh document, parsed.
    case fetched(ParsedFeed, FetchInfo)

    public var info: FetchInfo {
        switch self {
        case .notModified(let info), .fetched(_, let info): info
        }
    }
}

/// What the server said besides the document: validators, freshness, a permanent move.
public struct FetchInfo: Sendable, Hashable {
    public var status: Int
    /// The validators to send next time.
    public var validators: SourceState
    /// Not to be fetched again before this (Cache-Control, Expires, `<ttl>`), when stated.
    public var nextFetchAfter: Date?
    /// The feed's new address when every redirect on the way was permanent (301/308).
    public var movedTo: String?

    public init(status: Int, validators: SourceState = SourceState(), nextFetchAfter: Date? = nil, movedTo: String? = nil) {
        self.status = status
        self.validators = validators
        self.nextFetchAfter = nextFetchAfter
        self.movedTo = movedTo
    }
}

/// How politely and how patiently to fetch.
public struct FetchSettings: Sendable, Hashable {
    /// Sources fetched at once, across all hosts.
    public var concurrency: Int = 16
    /// Requests to one host at once (enforced by the HTTP client's `HostGate`).
    public var perHost: Int = 2
    /// Minimum time between the starts of two requests to one host (ditto).
    public var hostGap: Duration = .milliseconds(250)
    /// The longest a server's or feed's "don't ask again before" is honoured.
    public var maxFreshness: Duration = .seconds(2 * 3600)
    /// Limits for each request: timeouts, body size, redirects.
    public var request = HTTPRequest(url: "")

    public init() {}
}

/// Fetches a source's feed and parses it: conditional GET over HTTP(S), or a local file.
///
/// Per-host politeness is the HTTP client's job (`CurlHTTPClient(settings:)`), so that feed
/// and article-page requests to one site share the same limits.
public struct FeedFetcher: Sendable {
    public let http: any HTTPClient
    public var settings: FetchSettings
    /// The clock for freshness and Retry-After; tests pass their own.
    public var now: @Sendable () -> Date

    public init(http: any HTTPClient, settings: FetchSettings = FetchSettings(), now: @escaping @Sendable () -> Date = Date.init) {
        self.http = http
        self.settings = settings
        self.now = now
    }

    /// The request every fetch starts from; kept for callers that only change limits.
    public var requestTemplate: HTTPRequest {
        get { settings.request }
        set { settings.request = newValue }
    }

    /// Fetches `url`, sending the stored validators so an unchanged feed costs a 304.
    public func fetch(_ url: String, state: SourceState) async throws(FetchError) -> FetchOutcome {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else { throw .invalidURL(url) }
        switch scheme {
        case "file":
            return try readFile(parsed)
        case "http", "https":
            return try await fetchHTTP(url, state: state)
        default:
            throw .unsupportedScheme(scheme, url: url)
        }
    }

    /// A document that is not a feed (an article page, a sitemap, a section page): its bytes.
    public enum Document: Sendable {
        case notModified(FetchInfo)
        case fetched(data: Data, contentType: String?, finalURL: String, info: FetchInfo)
    }

    /// Fetches any document the way feeds are fetched: same limits, validators, statuses
    /// and errors, but no parsing. `file:` URLs are read from disk.
    public func fetchDocument(_ url: String, state: SourceState = SourceState(), accept: String = "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.5") async throws(FetchError) -> Document {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else { throw .invalidURL(url) }
        switch scheme {
        case "file":
            do {
                return .fetched(data: try Data(contentsOf: parsed), contentType: nil, finalURL: url, info: FetchInfo(status: 200))
            } catch {
                throw .unreadableFile(path: parsed.path, reason: (error as NSError).localizedDescription)
            }
        case "http", "https":
            let (response, info) = try await getHTTP(url, state: state, accept: accept)
            if response.status == 304 { return .notModified(info) }
            return .fetched(data: response.body, contentType: response.headers["content-type"], finalURL: response.finalURL, info: info)
        default:
            throw .unsupportedScheme(scheme, url: url)
        }
    }

    /// Fetches `source` from its configured address.
    public func fetch(_ source: Source, state: SourceState) async throws(FetchError) -> FetchOutcome {
        try await fetch(source.feedURL, state: state)
    }

    private func fetchHTTP(_ url: String, state: SourceState) async throws(FetchError) -> FetchOutcome {
        let accept = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
        var (response, info) = try await getHTTP(url, state: state, accept: accept)
        if response.status == 304 { return .notModified(info) }
        let fetchedAt = now()
        let feed: ParsedFeed
        do {
            feed = try FeedParser.parse(response.body, baseURL: response.finalURL, contentType: response.headers["content-type"])
        } catch {
            throw .notAFeed(
                url: url, reason: Self.explain(error, body: response.body, finalURL: response.finalURL, contentType: response.headers["content-type"]))
        }
        if let ttl = feed.ttlMinutes {
            info.nextFetchAfter = FetchSchedule.nextFetch(
                after: fetchedAt, headers: response.headers, ttlMinutes: ttl, cap: settings.maxFreshness)
        }
        return .fetched(feed, info)
    }

    /// One conditional GET: a 2xx or 304 response and what it says about the next fetch;
    /// every other answer is a `FetchError`.
    private func getHTTP(_ url: String, state: SourceState, accept: String) async throws(FetchError) -> (HTTPResponse, FetchInfo) {
        var request = settings.request
        request.url = url
        request.headers["Accept"] = accept
        if let etag = state.etag { request.headers["If-None-Match"] = etag }
        if let lastModified = state.lastModified { request.headers["If-Modified-Since"] = lastModified }
        let response: HTTPResponse
        do {
            response = try await http.get(request)
        } catch let error as FetchError {
            throw error
        } catch {
            throw .transport(url: url, reason: String(describing: error))
        }
        let fetchedAt = now()
        if response.status == 429 || response.status == 503 {
            throw .rateLimited(response.status, url: url, retryAfter: FetchSchedule.retryAfter(response.headers["retry-after"], now: fetchedAt))
        }
        let info = FetchInfo(
            status: response.status,
            validators: SourceState(
                etag: response.headers["etag"] ?? state.etag, lastModified: response.headers["last-modified"] ?? state.lastModified),
            nextFetchAfter: FetchSchedule.nextFetch(
                after: fetchedAt, headers: response.headers, ttlMinutes: nil, cap: settings.maxFreshness),
            movedTo: response.permanentlyMovedTo
        )
        guard response.status == 304 || (200..<300).contains(response.status) else { throw .httpStatus(response.status, url: url) }
        return (response, info)
    }

    /// A parse failure in words that point at the likely cause: a web page where a feed was
    /// expected (by its Content-Type or its first tag) is said to be one, with the feeds it
    /// announces, whatever libxml2 made of it ("not well-formed at line 1").
    static func explain(_ error: FeedParseError, body: Data, finalURL: String, contentType: String?) -> String {
        guard contentType?.lowercased().contains("html") == true || looksLikeHTML(body) else { return error.description }
        let feeds = FeedDiscovery.feeds(inHTML: body, baseURL: finalURL).map(\.url)
        let announced = feeds.isEmpty
            ? "it announces no feed; `gazette sources add \(finalURL)` looks in the usual places"
            : "it announces \(feeds.prefix(3).joined(separator: ", ")); `gazette sources add \(finalURL)` adds one"
        return "this is a web page, not a feed: \(announced)"
    }

    /// True when the first tag of `body` is `<!DOCTYPE html`, `<html` or `<head`.
    static func looksLikeHTML(_ body: Data) -> Bool {
        let start = body.prefix(1024)
        guard let text = String(data: start, encoding: .utf8) ?? String(data: start, encoding: .isoLatin1) else { return false }
        let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }.lowercased()
        return trimmed.hasPrefix("<!doctype html") || trimmed.hasPrefix("<html") || trimmed.hasPrefix("<head")
            || (trimmed.hasPrefix("<!--") && trimmed.contains("<html"))
    }

    private func readFile(_ url: URL) throws(FetchError) -> FetchOutcome {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableFile(path: url.path, reason: (error as NSError).localizedDescription)
        }
        do {
            return .fetched(try FeedParser.parse(data, baseURL: url.absoluteString), FetchInfo(status: 200))
        } catch {
            throw .notAFeed(url: url.absoluteString, reason: error.description)
        }
    }
}
