import Foundation
import GazetteModel

/// Decides what one subscriber's digest holds. Pure: same inputs, same digest, no clock.
public struct DigestBuilder: Sendable {
    /// How far back a subscriber's first digest reaches, so a new reader never gets the archive.
    public var firstDigestLookback: TimeInterval

    public init(firstDigestLookback: TimeInterval = 24 * 3600) {
        self.firstDigestLookback = firstDigestLookback
    }

    /// The window a digest sent at `now` covers: from the end of the last digest that reached
    /// the subscriber (so a failed delivery's articles roll into the next one), or the
    /// look-back for a first digest.
    public func window(lastSentEnd: Date?, now: Date) -> DigestWindow {
        DigestWindow(start: lastSentEnd ?? now.addingTimeInterval(-firstDigestLookback), end: now)
    }

    /// Builds the digest: the articles in `window` that the subscription follows, each once,
    /// grouped by section at the list's depth.
    ///
    /// Sections are ordered by size, largest first, then by name; articles within a section
    /// newest first. The tag index counts the tags of the included articles.
    public func build(
        list: SubscriberList, subscriber: Subscriber, subscription: Subscription, articles: [Article], window: DigestWindow
    ) -> Digest {
        let selected = Self.deduplicated(
            articles.filter { window.contains($0.firstSeenAt) && Self.follows(subscription, $0) })
        let grouped = Dictionary(grouping: selected) { $0.section.truncated(toDepth: list.sectionDepth) }
        let sections = grouped.map { path, articles in
            DigestSection(path: path, articles: articles.sorted(by: Self.readingOrder))
        }
        .sorted { lhs, rhs in
            if lhs.path.isEmpty != rhs.path.isEmpty { return rhs.path.isEmpty }  // "Other news" last
            if lhs.articles.count != rhs.articles.count { return lhs.articles.count > rhs.articles.count }
            return lhs.path < rhs.path
        }
        return Digest(list: list, subscriber: subscriber, window: window, sections: sections, tagIndex: Self.tagIndex(selected))
    }

    /// True when the subscription takes this article: the whole list, a followed section
    /// (subsections included) or a followed tag. Tags compare without regard to case.
    public static func follows(_ subscription: Subscription, _ article: Article) -> Bool {
        if subscription.followsWholeList { return true }
        if subscription.sections.contains(where: { $0.contains(article.section) }) { return true }
        let followed = Set(subscription.tags.map { $0.lowercased() })
        return article.tags.contains { followed.contains($0.lowercased()) }
    }

    /// Newest first; ties broken by title so the order is stable.
    static func readingOrder(_ lhs: Article, _ rhs: Article) -> Bool {
        if lhs.displayTime != rhs.displayTime { return lhs.displayTime > rhs.displayTime }
        return lhs.title < rhs.title
    }

    /// Keeps the first of articles that share a URL or a title (ignoring case and spacing).
    static func deduplicated(_ articles: [Article]) -> [Article] {
        var urls = Set<String>()
        var titles = Set<String>()
        return articles.filter { article in
            let title = article.title.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            guard !urls.contains(article.url), !titles.contains(title) else { return false }
            urls.insert(article.url)
            titles.insert(title)
            return true
        }
    }

    static func tagIndex(_ articles: [Article]) -> [TagCount] {
        var counts: [String: (spelling: String, count: Int)] = [:]
        for article in articles {
            for tag in Set(article.tags.map { $0.lowercased() }) {
                let spelling = article.tags.first { $0.lowercased() == tag } ?? tag
                counts[tag, default: (spelling, 0)].count += 1
            }
        }
        return counts.values
            .map { TagCount(tag: $0.spelling, count: $0.count) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.tag < $1.tag }
    }
}
