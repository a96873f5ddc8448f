import Crypto
import Foundation
import GazetteModel

extension ParsedFeed {
    /// The feed's items as articles, each with the identity Gazette will know it by again.
    ///
    /// Identity, in order of preference: the item's guid when the feed's guids are usable
    /// (present and unique within the document; feeds that repeat one guid for every item
    /// exist), else the canonical link, else a hash of the title and summary. The stored URL
    /// is always the canonical link, so the same article reached through two feeds is one.
    /// - Parameter feedURL: where the feed came from; a linkless item points at the site's
    ///   home page, or at this when the feed names none.
    public func articles(sourceName: String, seenAt: Date, feedURL: String? = nil) -> [Article] {
        var counts: [String: Int] = [:]
        for guid in items.compactMap(\.guid) { counts[guid, default: 0] += 1 }
        return items.compactMap { item in
            let usableGUID = item.guid.flatMap { counts[$0] == 1 ? $0 : nil }
            return item.article(sourceName: sourceName, seenAt: seenAt, guid: usableGUID, siteURL: siteURL ?? feedURL)
        }
    }
}

extension FeedItem {
    /// The article this item describes, as first seen at `seenAt`.
    ///
    /// - Parameters:
    ///   - guid: the identity to use; by default the item's own guid.
    ///   - siteURL: where an item without any link points readers (with its content hash as
    ///     the fragment, so it stays unique); nil drops such items.
    public func article(sourceName: String, seenAt: Date, guid: String?? = .none, siteURL: String? = nil) -> Article? {
        let identity = guid ?? self.guid
        // Only web links reach a digest: `javascript:`, `data:` or `file:` links count as none.
        let link = [link, identity].compactMap { $0 }.first(where: Self.isWebLink)
        let url: String
        if let link {
            url = CanonicalURL.normalize(link)
        } else if let siteURL, Self.isWebLink(siteURL) {
            url = CanonicalURL.normalize(siteURL) + "#" + contentHash
        } else {
            return nil
        }
        let (section, tags) = CategoryClassifier.classify(categories)
        return Article(
            sourceName: sourceName,
            guid: identity ?? (link == nil ? "sha256:" + contentHash : url),
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

    static func isWebLink(_ text: String) -> Bool {
        let lower = text.prefix(8).lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return false }
        // The prefix alone let through links no client can open ("https://d.sampego%ry%3E",
        // a host with a broken escape), which became articles with dead links. Found by fuzzing.
        guard let host = URL(string: text)?.host, !host.isEmpty else { return false }
        return true
    }

    /// A hash of what the item says, for items with neither guid nor link.
    var contentHash: String {
        let digest = SHA256.hash(data: Data((title + "\u{1F}" + summary + "\u{1F}" + (contentHTML ?? "")).utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
