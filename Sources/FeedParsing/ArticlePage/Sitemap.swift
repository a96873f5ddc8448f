import Foundation

/// A sitemap, for sources without a feed: a `urlset` (with Google News extensions) or a
/// `sitemapindex` pointing at more sitemaps. Pure.
public enum Sitemap {
    public enum Document: Sendable, Hashable {
        case urls([FeedItem])
        /// Child sitemaps, newest first when they say when they changed.
        case index([String])
    }

    /// Entries kept from one sitemap: the newest, when it dates them.
    public static let maxEntries = 1000

    public static func parse(_ data: Data, baseURL: String?) throws(FeedParseError) -> (document: Document, warnings: [String]) {
        let tree = try XMLTree.parseXML(data, baseURL: baseURL)
        guard let root = tree.root else { throw .empty }
        var warnings: [String] = []
        switch root.name.lowercased() {
        case "sitemapindex":
            let children = root.children("sitemap").compactMap { node -> (String, Date?)? in
                guard let url = resolve(node.child("loc")?.trimmedText, against: baseURL) else { return nil }
                return (url, node.child("lastmod")?.trimmedText.flatMap(FeedDate.parse))
            }
            let ordered = children.enumerated().sorted { a, b in
                switch (a.element.1, b.element.1) {
                case let (x?, y?): x > y
                case (_?, nil): true
                case (nil, _?): false
                case (nil, nil): a.offset < b.offset
                }
            }.map(\.element.0)
            return (.index(ordered), warnings)
        case "urlset":
            var items = root.children("url").compactMap { node -> FeedItem? in
                guard let link = resolve(node.child("loc")?.trimmedText, against: baseURL) else { return nil }
                let news = node.child("news")
                let title = news?.child("title")?.trimmedText.map(plainTitle) ?? ""
                let published = parseDate(
                    news?.child("publication_date")?.trimmedText ?? node.child("lastmod")?.trimmedText, field: "date",
                    item: title.isEmpty ? link : title, warnings: &warnings)
                let keywords = (news?.child("keywords")?.trimmedText ?? "").split(separator: ",").map {
                    FeedCategory(term: collapsingWhitespace(String($0)), scheme: "keyword")
                }.filter { !$0.term.isEmpty }
                let language = news?.child("publication")?.child("language")?.trimmedText
                let image = node.child("image")?.child("loc")?.trimmedText
                return FeedItem(
                    guid: nil, link: link, title: title, publishedAt: published, categories: keywords,
                    imageURL: resolve(image, against: baseURL), language: language)
            }
            if items.count > maxEntries {
                warnings.append("the sitemap lists \(items.count) pages; the newest \(maxEntries) are read")
                if items.allSatisfy({ $0.publishedAt != nil }) {
                    items.sort { $0.publishedAt! > $1.publishedAt! }
                }
                items = Array(items.prefix(maxEntries))
            }
            return (.urls(items), warnings)
        default:
            throw .unrecognizedFormat(rootElement: root.name)
        }
    }
}

/// Article links on a section page ("/news/" listing its latest stories), chosen by a
/// selector the editor writes for that site.
public enum LinkListing {
    /// The absolute http(s) links the selector picks (the elements' own `href`, or the
    /// links inside them), in page order, without repeats.
    public static func links(inHTML data: Data, baseURL: String, selector: String) throws(FeedParseError) -> [String] {
        guard let xpath = Selector.xpath(selector) else { throw .unsafeDocument(reason: "'\(selector)' is not a selector Gazette understands") }
        let encoding = PageEncoding.encoding(of: data, contentType: nil)
        guard let tree = XMLTree.parseHTML(data, baseURL: baseURL, encoding: encoding), let nodes = tree.select(xpath) else {
            throw .unrecognizedFormat(rootElement: "?")
        }
        var seen = Set<String>()
        var links: [String] = []
        for node in nodes {
            let anchors = node.name.lowercased() == "a" ? [node] : node.descendants(named: "a")
            for anchor in anchors {
                guard let url = resolve(anchor.attribute("href"), against: baseURL), url.hasPrefix("http://") || url.hasPrefix("https://")
                else { continue }
                let canonical = url.split(separator: "#").first.map(String.init) ?? url
                if seen.insert(canonical).inserted { links.append(canonical) }
            }
        }
        return links
    }
}
