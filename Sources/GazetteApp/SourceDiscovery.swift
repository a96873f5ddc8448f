import FeedFetching
import FeedParsing
import Foundation

/// Finds the feeds behind an address an editor pastes: the feed itself, the feeds a page
/// announces with `<link rel="alternate">`, or, failing both, a feed at one of the
/// addresses sites conventionally use (`/feed/`, `/rss.xml`, …).
public struct SourceDiscovery: Sendable {
    public let http: any HTTPClient

    public init(http: any HTTPClient) {
        self.http = http
    }

    public func candidates(for address: String) async throws -> [DiscoveredFeed] {
        let response = try await http.get(HTTPRequest(url: address))
        guard (200..<300).contains(response.status) else { throw FetchError.httpStatus(response.status, url: address) }
        let contentType = response.headers["content-type"]
        if let feed = try? FeedParser.parse(response.body, baseURL: response.finalURL, contentType: contentType) {
            return [DiscoveredFeed(url: response.permanentlyMovedTo ?? address, title: feed.title, type: Self.type(of: feed.format))]
        }
        let announced = FeedDiscovery.feeds(inHTML: response.body, baseURL: response.finalURL)
        if !announced.isEmpty { return announced }
        var found: [DiscoveredFeed] = []
        for candidate in FeedDiscovery.conventionalPaths(for: response.finalURL) {
            guard let answer = try? await http.get(HTTPRequest(url: candidate)), (200..<300).contains(answer.status),
                let feed = try? FeedParser.parse(answer.body, baseURL: answer.finalURL, contentType: answer.headers["content-type"])
            else { continue }
            found.append(DiscoveredFeed(url: answer.finalURL, title: feed.title, type: Self.type(of: feed.format)))
            break
        }
        return found
    }

    static func type(of format: ParsedFeed.Format) -> String {
        if format.isAtom { return "application/atom+xml" }
        if format.isJSON { return "application/feed+json" }
        return "application/rss+xml"
    }

    /// A source name from a feed address: the host without "www." and the top-level domain
    /// ("https://www.israelhayom.com/feed/" → "israelhayom").
    public static func suggestedName(for url: String, taken: Set<String>) -> String {
        let host = URL(string: url)?.host?.lowercased() ?? "source"
        var parts = host.split(separator: ".").map(String.init)
        if parts.first == "www" { parts.removeFirst() }
        if parts.count > 1 { parts.removeLast() }
        let base = parts.joined(separator: "-").isEmpty ? "source" : parts.joined(separator: "-")
        var name = base
        var number = 2
        while taken.contains(name) {
            name = "\(base)-\(number)"
            number += 1
        }
        return name
    }
}
