import FeedFetching
import FeedParsing
import Foundation
import GazetteModel

/// Reads one or two article pages of a source about to be added, to tell whether its pages
/// say more than its feed: a section path deeper than the feed's categories, or tags the
/// feed lacks. When they do, `enrich` is worth turning on; without it a subscriber who
/// follows "News > Middle East" gets nothing from a feed that only says "News".
///
/// A probe that cannot read the feed or the pages finds nothing and never fails the add.
public struct PageProbe: Sendable {
    public let http: any HTTPClient
    /// Article pages read at most.
    public var pages = 2

    public init(http: any HTTPClient) {
        self.http = http
    }

    public struct Finding: Sendable, Hashable {
        /// Whether the pages carry a section path or tags that the feed lacks.
        public var enrich = false
        /// Why, for the editor: "its pages carry the section path News > Middle East".
        public var reason: String?
        public var pagesRead = 0

        public init() {}
    }

    public func probe(feedURL: String) async -> Finding {
        var finding = Finding()
        guard let response = try? await http.get(HTTPRequest(url: feedURL)), (200..<300).contains(response.status),
            let feed = try? FeedParser.parse(
                response.body, baseURL: response.finalURL, contentType: response.headers["content-type"])
        else { return finding }
        for article in feed.articles(sourceName: "probe", seenAt: Date(), feedURL: response.finalURL).prefix(pages) {
            guard let page = try? await http.get(HTTPRequest(url: article.url)), (200..<300).contains(page.status) else {
                continue
            }
            finding.pagesRead += 1
            let metadata = ArticleExtractor.extract(page.body, url: page.finalURL, contentType: page.headers["content-type"])
            if let reason = Self.whatThePageAdds(metadata, to: article) {
                finding.enrich = true
                finding.reason = reason
                break
            }
        }
        return finding
    }

    /// What `page` says that the feed's `article` does not, in words; nil when nothing.
    static func whatThePageAdds(_ page: ArticleMetadata, to article: Article) -> String? {
        if page.section.count > article.section.components.count {
            return "its pages carry the section path \(page.section.joined(separator: " > ")) (the feed: "
                + (article.section.isEmpty ? "none" : article.section.components.joined(separator: " > ")) + ")"
        }
        let feedTags = Set(article.tags.map { $0.lowercased() })
        let missing = page.tags.filter { !feedTags.contains($0.lowercased()) }
        if !missing.isEmpty {
            return "its pages carry tags the feed lacks (\(missing.prefix(3).joined(separator: ", ")))"
        }
        return nil
    }
}
