import Foundation

/// RSS 0.9x, 1.0 (RDF) and 2.0 with the common extensions: `content:encoded`, `dc:creator`,
/// `dc:date`, `dc:subject`, `media:content`/`media:thumbnail` and enclosures.
enum RSSParser {
    static func parse(channelOf root: XMLNode, format: ParsedFeed.Format, baseURL: String?) -> ParsedFeed {
        let channel = root.child("channel")
        // RSS 2.0 nests items in the channel; RSS 1.0 puts them beside it.
        let itemNodes = (channel?.children("item") ?? []) + root.children("item")
        let siteURL = resolve(channel?.child("link")?.trimmedText, against: baseURL)
        let language = channel?.child("language")?.trimmedText ?? channel?.child("language", in: Namespace.dublinCore)?.trimmedText
        return ParsedFeed(
            format: format,
            title: collapsingWhitespace(channel?.child("title")?.text ?? ""),
            siteURL: siteURL,
            ttlMinutes: channel?.child("ttl")?.trimmedText.flatMap { Int($0) },
            items: itemNodes.map { item(from: $0, baseURL: baseURL, language: language) }
        )
    }

    private static func item(from node: XMLNode, baseURL: String?, language: String?) -> FeedItem {
        let guid = node.child("guid")?.trimmedText ?? node.attribute("about")
        var link = node.child("link")?.trimmedText
        if link == nil, let guidNode = node.child("guid"), guidNode.attribute("isPermaLink") != "false" {
            link = guidNode.trimmedText
        }
        let contentHTML = node.child("encoded", in: Namespace.content)?.text
        let descriptionHTML = node.child("description")?.text
        let summary = HTMLText.summary(fromHTML: descriptionHTML ?? contentHTML ?? "")

        var authors = node.children("creator", in: Namespace.dublinCore).compactMap(\.trimmedText)
        if authors.isEmpty, let author = node.child("author")?.trimmedText {
            authors = [Self.nameFromRSSAuthor(author)]
        }
        let published = (node.child("pubDate") ?? node.child("date", in: Namespace.dublinCore))?.trimmedText
        var categories = node.children("category").compactMap { category -> FeedCategory? in
            category.trimmedText.map { FeedCategory(term: $0, scheme: category.attribute("domain")) }
        }
        categories += node.children("subject", in: Namespace.dublinCore).compactMap {
            $0.trimmedText.map { FeedCategory(term: $0, scheme: nil) }
        }
        let image = Self.image(of: node)
        return FeedItem(
            guid: guid,
            link: resolve(link, against: baseURL),
            title: collapsingWhitespace(node.child("title")?.text ?? ""),
            summary: summary,
            authors: authors.map(collapsingWhitespace),
            publishedAt: published.flatMap(FeedDate.parse),
            categories: categories,
            imageURL: resolve(image?.url, against: baseURL),
            imageCaption: image?.caption,
            language: language
        )
    }

    /// RSS 2.0 `<author>` is "email (Name)"; keep the name when there is one.
    static func nameFromRSSAuthor(_ text: String) -> String {
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            let name = text[text.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { return name }
        }
        return text
    }

    private static func image(of node: XMLNode) -> (url: String, caption: String?)? {
        for name in ["content", "thumbnail"] {
            for media in node.children(name, in: Namespace.media) {
                guard let url = media.attribute("url") else { continue }
                let medium = media.attribute("medium") ?? media.attribute("type") ?? "image"
                guard medium.hasPrefix("image") else { continue }
                let caption = media.child("description", in: Namespace.media)?.trimmedText
                    ?? media.child("title", in: Namespace.media)?.trimmedText
                return (url, caption.map(collapsingWhitespace))
            }
        }
        if let enclosure = node.child("enclosure"), let url = enclosure.attribute("url"),
            enclosure.attribute("type")?.hasPrefix("image") ?? false
        {
            return (url, nil)
        }
        return nil
    }
}
