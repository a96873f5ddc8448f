import Foundation

/// Atom 1.0 (RFC 4287) and the older Atom 0.3, which used `issued`/`modified` and `<link>` without `rel`.
enum AtomParser {
    static func parse(_ root: XMLNode, baseURL: String?) -> ParsedFeed {
        let feedBase = root.baseURL ?? baseURL
        let siteURL = alternateLink(of: root, baseURL: feedBase)
        let feedLanguage = root.attribute("lang")
        return ParsedFeed(
            format: .atom,
            title: collapsingWhitespace(textConstruct(root.child("title"))),
            siteURL: siteURL,
            items: root.children("entry").map { entry(from: $0, baseURL: feedBase, feedLanguage: feedLanguage) }
        )
    }

    private static func entry(from node: XMLNode, baseURL: String?, feedLanguage: String?) -> FeedItem {
        let entryBase = node.baseURL ?? baseURL
        let published = (node.child("published") ?? node.child("issued") ?? node.child("created"))?.trimmedText
        let updated = (node.child("updated") ?? node.child("modified"))?.trimmedText
        let summaryHTML = htmlOf(node.child("summary")) ?? htmlOf(node.child("content")) ?? ""
        let categories = node.children("category").compactMap { category -> FeedCategory? in
            let term = category.attribute("term") ?? category.attribute("label") ?? category.trimmedText
            return term.map { FeedCategory(term: $0, scheme: category.attribute("scheme")) }
        }
        let authors = node.children("author").compactMap { $0.child("name")?.trimmedText }
        return FeedItem(
            guid: node.child("id")?.trimmedText,
            link: alternateLink(of: node, baseURL: entryBase),
            title: collapsingWhitespace(textConstruct(node.child("title"))),
            summary: HTMLText.summary(fromHTML: summaryHTML),
            authors: authors.map(collapsingWhitespace),
            publishedAt: published.flatMap(FeedDate.parse) ?? updated.flatMap(FeedDate.parse),
            updatedAt: updated.flatMap(FeedDate.parse),
            categories: categories,
            language: node.attribute("lang") ?? feedLanguage
        )
    }

    /// The `rel="alternate"` link (the default rel), else the first link with an href.
    private static func alternateLink(of node: XMLNode, baseURL: String?) -> String? {
        let links = node.children("link")
        let alternate = links.first { ($0.attribute("rel") ?? "alternate") == "alternate" && $0.attribute("href") != nil }
        return resolve((alternate ?? links.first { $0.attribute("href") != nil })?.attribute("href"), against: baseURL)
    }

    /// An Atom text construct as plain text: `type="html"` and `xhtml` lose their markup.
    private static func textConstruct(_ node: XMLNode?) -> String {
        guard let node else { return "" }
        switch node.attribute("type") {
        case "html", "xhtml", "text/html":
            return HTMLText.plainText(fromHTML: htmlOf(node) ?? "")
        default:
            return node.text
        }
    }

    /// An Atom text construct as HTML, whatever its type.
    private static func htmlOf(_ node: XMLNode?) -> String? {
        guard let node else { return nil }
        switch node.attribute("type") {
        case "xhtml": return node.innerXML
        case "html", "text/html": return node.text
        default: return HTMLText.escape(node.text)
        }
    }
}
