import Foundation

/// Atom 1.0 (RFC 4287) and the older Atom 0.3, which used `issued`/`modified`, `tagline`,
/// `<link>` without `rel` and `mode="escaped"` content.
enum AtomParser {
    static func parse(_ root: XMLNode, baseURL: String?) -> ParsedFeed {
        let format: ParsedFeed.Format = root.namespace == Namespace.atom03 || root.attribute("version") == "0.3" ? .atom03 : .atom10
        let feedBase = root.baseURL ?? baseURL
        let feedLanguage = root.attribute("lang")
        var warnings: [String] = []
        let children = ChildElements(of: root)
        let title = collapsingWhitespace(textConstruct(children.child("title")))
        let updated = (children.child("updated") ?? children.child("modified"))?.trimmedText
        let subtitle = collapsingWhitespace(textConstruct(children.child("subtitle") ?? children.child("tagline")))
        let entries = children.children("entry").map {
            entry(from: $0, baseURL: feedBase, feedLanguage: feedLanguage, warnings: &warnings)
        }
        return ParsedFeed(
            format: format,
            title: title,
            siteURL: alternateLink(of: children, baseURL: feedBase),
            subtitle: subtitle.isEmpty ? nil : subtitle,
            language: feedLanguage,
            updatedAt: parseDate(updated, field: "feed date", item: title, warnings: &warnings),
            authors: authors(of: children),
            items: entries,
            warnings: warnings
        )
    }

    private static func entry(from element: XMLNode, baseURL: String?, feedLanguage: String?, warnings: inout [String])
        -> FeedItem
    {
        let entryBase = element.baseURL ?? baseURL
        let node = ChildElements(of: element)
        let published = (node.child("published") ?? node.child("issued") ?? node.child("created")
            ?? node.child("issued", in: Namespace.dublinCoreTerms) ?? node.child("date", in: Namespace.dublinCore))?
            .trimmedText
        let updated = (node.child("updated") ?? node.child("modified")
            ?? node.child("modified", in: Namespace.dublinCoreTerms))?.trimmedText
        let summaryHTML = htmlOf(node.child("summary"))
        let contentHTML = htmlOf(node.child("content"))
        let categories = node.children("category").compactMap { category -> FeedCategory? in
            let term = category.attribute("term") ?? category.attribute("label") ?? category.trimmedText
            return term.map { FeedCategory(term: $0, scheme: category.attribute("scheme")) }
        }
        let enclosures = node.children("link").filter { $0.attribute("rel") == "enclosure" }.compactMap { link -> FeedEnclosure? in
            guard let url = resolve(link.attribute("href"), against: link.baseURL ?? entryBase) else { return nil }
            return FeedEnclosure(url: url, type: link.attribute("type"), length: link.attribute("length").flatMap { Int($0) })
        }
        let title = collapsingWhitespace(textConstruct(node.child("title")))
        let link = alternateLink(of: node, baseURL: entryBase)
        let label = title.isEmpty ? (link ?? "an entry") : title
        let publishedAt = parseDate(published, field: "date", item: label, warnings: &warnings)
        let updatedAt = parseDate(updated, field: "update date", item: label, warnings: &warnings)
        let image = enclosures.first { $0.type?.hasPrefix("image") ?? false }
        let bodies = HTMLSanitizer.itemBodies(
            summaryHTML: summaryHTML.map(FeedHTML.string), contentHTML: contentHTML.map(FeedHTML.string), baseURL: entryBase)
        var item = FeedItem(
            guid: node.child("id")?.trimmedText,
            link: link,
            title: title,
            summary: bodies.summary,
            authors: authors(of: node),
            publishedAt: publishedAt ?? updatedAt,
            updatedAt: updatedAt,
            categories: categories,
            enclosures: enclosures,
            imageURL: image?.url,
            language: element.attribute("lang") ?? feedLanguage
        )
        item.summaryBody = bodies.summaryHTML
        item.content = bodies.content
        return item
    }

    private static func authors(of node: ChildElements) -> [String] {
        node.children("author").compactMap { $0.child("name")?.trimmedText }
            .map(collapsingWhitespace)
    }

    /// The `rel="alternate"` link (the default rel), else the first link with an href.
    private static func alternateLink(of node: ChildElements, baseURL: String?) -> String? {
        let links = node.children("link")
        let alternate = links.first { ($0.attribute("rel") ?? "alternate") == "alternate" && $0.attribute("href") != nil }
        guard let chosen = alternate ?? links.first(where: { $0.attribute("href") != nil && $0.attribute("rel") != "enclosure" }) else {
            return nil
        }
        return resolve(chosen.attribute("href"), against: chosen.baseURL ?? baseURL)
    }

    /// An Atom text construct as plain text: `type="html"` and `xhtml` lose their markup.
    private static func textConstruct(_ node: XMLNode?) -> String {
        guard let node else { return "" }
        if isMarkup(node) { return HTMLText.plainText(fromHTML: htmlOf(node) ?? "") }
        return node.text
    }

    private static func isMarkup(_ node: XMLNode) -> Bool {
        switch node.attribute("type") {
        case "html", "xhtml", "text/html", "application/xhtml+xml": true
        default: node.attribute("mode") == "escaped" || node.attribute("mode") == "xml"
        }
    }

    /// An Atom text construct as HTML, whatever its type (Atom 0.3's `mode` included).
    private static func htmlOf(_ node: XMLNode?) -> String? {
        guard let node else { return nil }
        if node.attribute("mode") == "base64" {
            let decoded = Data(base64Encoded: node.text, options: .ignoreUnknownCharacters).map { String(decoding: $0, as: UTF8.self) }
            return node.attribute("type")?.contains("html") == true ? decoded : decoded.map(HTMLText.escape)
        }
        switch node.attribute("type") {
        case "xhtml", "application/xhtml+xml": return node.innerXML
        case "html", "text/html": return node.attribute("mode") == "xml" ? node.innerXML : node.text
        default: return node.attribute("mode") == "xml" ? node.innerXML : HTMLText.escape(node.text)
        }
    }
}
