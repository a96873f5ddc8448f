import FeedParsing
import Foundation
import GazetteModel

/// The result of fetching one source.
public enum FetchOutcome: Sendable {
    /// The server said nothing changed (HTTP 304); nothing was parsed.
    case notModified
    /// A fresh document, parsed, with the validators to send next time.
    case fetched(ParsedFeed, state: SourceState, status: Int)
}

/// Fetches a source's feed and parses it: conditional GET over HTTP(S), or a local file.
public struct FeedFetcher: Sendable {
    public let http: any HTTPClient
    public var requestTemplate: HTTPRequest

    public init(http: any HTTPClient, requestTemplate: HTTPRequest = HTTPRequest(url: "")) {
        self.http = http
        self.requestTemplate = requestTemplate
    }

    /// Fetches `source`, sending the stored validators so an unchanged feed costs a 304.
    public func fetch(_ source: Source, state: SourceState) async throws(FetchError) -> FetchOutcome {
        guard let url = URL(string: source.feedURL), let scheme = url.scheme?.lowercased() else {
            throw .invalidURL(source.feedURL)
        }
        switch scheme {
        case "file":
            return try readFile(url)
        case "http", "https":
            return try await fetchHTTP(source.feedURL, state: state)
        default:
            throw .unsupportedScheme(scheme, url: source.feedURL)
        }
    }

    private func fetchHTTP(_ url: String, state: SourceState) async throws(FetchError) -> FetchOutcome {
        var request = requestTemplate
        request.url = url
        request.headers["Accept"] = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
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
        if response.status == 304 { return .notModified }
        guard (200..<300).contains(response.status) else { throw .httpStatus(response.status, url: url) }
        do {
            let feed = try FeedParser.parse(response.body, baseURL: response.finalURL)
            let validators = SourceState(etag: response.headers["etag"], lastModified: response.headers["last-modified"])
            return .fetched(feed, state: validators, status: response.status)
        } catch {
            throw .notAFeed(url: url, reason: error.description)
        }
    }

    private func readFile(_ url: URL) throws(FetchError) -> FetchOutcome {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableFile(path: url.path, reason: (error as NSError).localizedDescription)
        }
        do {
            return .fetched(try FeedParser.parse(data, baseURL: url.absoluteString), state: SourceState(), status: 200)
        } catch {
            throw .notAFeed(url: url.absoluteString, reason: error.description)
        }
    }
}
