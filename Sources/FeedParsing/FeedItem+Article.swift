import Foundation
import GazetteModel

extension FeedItem {
    /// The article this item describes, as first seen at `seenAt`; nil when the item has
    /// neither a link nor a guid to know it by again.
    public func article(sourceName: String, seenAt: Date) -> Article? {
        guard let url = link ?? guid.flatMap({ $0.hasPrefix("http") ? $0 : nil }) else { return nil }
        let (section, tags) = CategoryClassifier.classify(categories)
        return Article(
            sourceName: sourceName,
            guid: guid ?? url,
            url: url,
            title: title.isEmpty ? "(untitled)" : title,
            summary: summary,
            authors: authors,
            publishedAt: publishedAt,
            section: section,
            tags: tags,
            firstSeenAt: seenAt,
            language: language,
            imageURL: imageURL,
            imageCaption: imageCaption
        )
    }
}
