import Foundation

/// A feed a web page announces.
public struct DiscoveredFeed: Sendable, Hashable {
    public var url: String
    public var title: String?
    /// The MIME type the page gave ("application/rss+xml").
    public var type: String

    public init(url: String, title: String? = nil, type: String) {
        self.url = url
        self.title = title
        self.type = type
    }

    /// "RSS", "Atom" or "JSON Feed", for people.
    public var kind: String {
        if type.contains("atom") { return "Atom" }
        if type.contains("json") { return "JSON Feed" }
        return "RSS"
    }
}

/// Finds the feeds a page links to with `<link rel="alternate" type="application/rss+xml">`
/// (and Atom and JSON Feed), the way browsers and feed readers do. Pure.
public enum FeedDiscovery {
    static let feedTypes: Set<String> = [
        "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json", "application/rdf+xml",
        "application/xml", "text/xml",
    ]

    /// Feed links in `html`, in page order, without duplicates; relative links resolved.
    public static func feeds(inHTML html: Data, baseURL: String) -> [DiscoveredFeed] {
        guard let tree = XMLTree.parseHTML(html, baseURL: baseURL, encoding: nil), let root = tree.root else { return [] }
        let base = root.descendants(named: "base").first?.attribute("href").flatMap { resolve($0, against: baseURL) } ?? baseURL
        var seen = Set<String>()
        var found: [DiscoveredFeed] = []
        for link in root.descendants(named: "link") {
            let rel = (link.attribute("rel") ?? "").lowercased().split(separator: " ")
            guard rel.contains("alternate"), !rel.contains("stylesheet") else { continue }
            let type = (link.attribute("type") ?? "").lowercased().split(separator: ";").first.map(String.init) ?? ""
            guard feedTypes.contains(type), let url = resolve(link.attribute("href"), against: base) else { continue }
            // A comments feed is rarely what an editor wants; keep it, but after the others.
            guard seen.insert(url).inserted else { continue }
            found.append(DiscoveredFeed(url: url, title: link.attribute("title").map(collapsingWhitespace), type: type))
        }
        return found.filter { !isCommentsFeed($0) } + found.filter(isCommentsFeed)
    }

    /// Addresses where sites without discovery links usually keep their feed (WordPress first).
    public static func conventionalPaths(for siteURL: String) -> [String] {
        ["/feed/", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/feed.json"].compactMap { resolve($0, against: siteURL) }
    }

    private static func isCommentsFeed(_ feed: DiscoveredFeed) -> Bool {
        feed.url.lowercased().contains("/comments/") || (feed.title?.lowercased().contains("comments") ?? false)
    }
}

extension XMLNode {
    /// Descendant elements named `name` (case-insensitive, HTML style; "*" for all), in document order.
    func descendants(named name: String) -> [XMLNode] {
        var result: [XMLNode] = []
        var stack: [XMLNode] = children.reversed()
        while let node = stack.popLast() {
            if name == "*" || node.name.lowercased() == name { result.append(node) }
            stack.append(contentsOf: node.children.reversed())
        }
        return result
    }
}
