import CLibXML2
import Foundation

/// RSS 0.9x, 1.0 (RDF) and 2.0 with the common extensions: `content:encoded`, `xhtml:body`,
/// `dc:creator`, `dc:date`, `dcterms:issued`/`modified`, `dc:subject`,
/// `media:content`/`media:thumbnail` and enclosures.
enum RSSParser {
    /// `<rss version="0.91">` and its siblings are RSS 0.9x; 2.0, 2.0.1 or no version is 2.0.
    static func format(ofRSS root: XMLNode) -> ParsedFeed.Format {
        (root.attribute("version") ?? "2.0").hasPrefix("0.9") ? .rss09 : .rss20
    }

    static func parse(channelOf root: XMLNode, format: ParsedFeed.Format, baseURL: String?) -> ParsedFeed {
        let channel = root.child("channel").map(ChildElements.init)
        // RSS 2.0 nests items in the channel; RSS 0.90 and 1.0 put them beside it.
        let itemNodes = (channel?.children("item") ?? []) + root.children("item")
        let siteURL = resolve(channel?.child("link")?.trimmedText, against: baseURL)
        let language = channel?.child("language")?.trimmedText ?? channel?.child("language", in: Namespace.dublinCore)?.trimmedText
        var warnings: [String] = []
        let title = plainTitle(channel?.child("title")?.text ?? "")
        let updated = (channel?.child("lastBuildDate") ?? channel?.child("pubDate") ?? channel?.child("date", in: Namespace.dublinCore))?
            .trimmedText
        var authors = channel?.children("creator", in: Namespace.dublinCore).compactMap(\.trimmedText) ?? []
        if authors.isEmpty, let editor = channel?.child("managingEditor")?.trimmedText { authors = [editor] }
        let items = itemNodes.map { item(from: $0, baseURL: baseURL, language: language, warnings: &warnings) }
        return ParsedFeed(
            format: format,
            title: title,
            siteURL: siteURL,
            subtitle: channel?.child("description").map { HTMLText.plainText(fromHTML: $0.text) }.flatMap { $0.isEmpty ? nil : $0 },
            language: language,
            updatedAt: parseDate(updated, field: "feed date", item: title, warnings: &warnings),
            authors: authors.map { AuthorName.name(from: collapsingWhitespace($0)) },
            ttlMinutes: channel?.child("ttl")?.trimmedText.flatMap { Int($0) },
            items: items,
            warnings: warnings
        )
    }

    private static func item(from element: XMLNode, baseURL: String?, language: String?, warnings: inout [String]) -> FeedItem {
        let node = ChildElements(of: element)
        let guid = node.child("guid")?.trimmedText ?? element.attribute("about")
        var link = node.child("link")?.trimmedText
        if link == nil, let guidNode = node.child("guid"), guidNode.attribute("isPermaLink") != "false" {
            link = guidNode.trimmedText
        }
        let contentHTML = fullText(of: node)
        let descriptionHTML = (node.child("description") ?? node.child("description", in: Namespace.dublinCore))?.html
        let title = plainTitle(node.child("title")?.text ?? "")

        var authors = node.children("creator", in: Namespace.dublinCore).compactMap(\.trimmedText)
        if authors.isEmpty, let author = node.child("author")?.trimmedText { authors = [author] }
        let published = (node.child("pubDate") ?? node.child("date", in: Namespace.dublinCore)
            ?? node.child("issued", in: Namespace.dublinCoreTerms) ?? node.child("created", in: Namespace.dublinCoreTerms))?
            .trimmedText
        let modified = (node.child("modified", in: Namespace.dublinCoreTerms)
            ?? node.child("modified", in: Namespace.dublinCore))?.trimmedText
        var categories = node.children("category").compactMap { category -> FeedCategory? in
            category.trimmedText.map { FeedCategory(term: $0, scheme: category.attribute("domain")) }
        }
        categories += node.children("subject", in: Namespace.dublinCore).compactMap {
            $0.trimmedText.map { FeedCategory(term: $0, scheme: nil) }
        }
        let enclosures = node.children("enclosure").compactMap { enclosure -> FeedEnclosure? in
            guard let url = resolve(enclosure.attribute("url"), against: baseURL) else { return nil }
            return FeedEnclosure(url: url, type: enclosure.attribute("type"), length: enclosure.attribute("length").flatMap { Int($0) })
        }
        let image = Self.image(of: node)
        let label = title.isEmpty ? (link ?? "an item") : title
        let bodies = HTMLSanitizer.itemBodies(summaryHTML: descriptionHTML, contentHTML: contentHTML, baseURL: baseURL)
        var item = FeedItem(
            guid: guid,
            link: resolve(link, against: baseURL),
            title: title,
            summary: bodies.summary,
            authors: authors.map { AuthorName.name(from: collapsingWhitespace($0)) },
            publishedAt: parseDate(published, field: "date", item: label, warnings: &warnings),
            updatedAt: parseDate(modified, field: "modification date", item: label, warnings: &warnings),
            categories: categories,
            enclosures: enclosures,
            imageURL: resolve(image?.url, against: baseURL),
            imageCaption: image?.caption,
            language: language
        )
        item.summaryBody = bodies.summaryHTML
        item.content = bodies.content
        return item
    }

    /// The item's full text: `content:encoded` or an XHTML `<body>`, whichever comes first, as
    /// Universal Feed Parser orders them; `description` is then the summary.
    private static func fullText(of node: ChildElements) -> FeedHTML? {
        let encoded = node.child("encoded", in: Namespace.content)
        guard let body = node.child("body", in: Namespace.xhtml) else { return encoded?.html }
        guard let encoded else { return .string(htmlOfXHTMLBody(body)) }
        var sibling = encoded.pointer.pointee.next
        while let next = sibling, next != body.pointer { sibling = next.pointee.next }
        return sibling == nil ? .string(htmlOfXHTMLBody(body)) : encoded.html
    }

    /// The body's markup as HTML: `<xhtml:p>` written `<p>`, so the sanitizer knows it.
    private static func htmlOfXHTMLBody(_ body: XMLNode) -> String {
        let markup = body.innerXML
        guard let prefix = body.pointer.pointee.ns?.pointee.prefix.map({ String(cString: $0) }) else { return markup }
        return markup.replacingOccurrences(of: "<\(prefix):", with: "<").replacingOccurrences(of: "</\(prefix):", with: "</")
    }

    private static func image(of node: ChildElements) -> (url: String, caption: String?)? {
        let groups = node.children("group", in: Namespace.media)
        for name in ["content", "thumbnail"] {
            let direct = node.children(name, in: Namespace.media)
            for media in direct + groups.flatMap({ $0.children(name, in: Namespace.media) }) {
                guard let url = media.attribute("url") else { continue }
                let medium = media.attribute("medium") ?? media.attribute("type") ?? "image"
                guard medium.hasPrefix("image") else { continue }
                let caption = media.child("description", in: Namespace.media)?.trimmedText
                    ?? media.child("title", in: Namespace.media)?.trimmedText
                return (url, caption.map(collapsingWhitespace))
            }
        }
        if let enclosure = node.children("enclosure").first(where: { $0.attribute("type")?.hasPrefix("image") ?? false }),
            let url = enclosure.attribute("url")
        {
            return (url, nil)
        }
        return nil
    }
}
