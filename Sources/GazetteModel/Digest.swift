import Foundation

/// The span of first-seen times a digest covers: after `start`, up to and including `end`.
public struct DigestWindow: Sendable, Hashable, Codable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public func contains(_ date: Date) -> Bool { date > start && date <= end }
}

/// One subscriber's digest of one list: top stories, then articles grouped by section,
/// with a tag index and the reasons behind every choice.
public struct Digest: Sendable, Hashable {
    public var list: SubscriberList
    public var subscriber: Subscriber
    public var window: DigestWindow
    /// Lifted to the top; these do not appear again in `sections`.
    public var topStories: [DigestEntry]
    public var sections: [DigestSection]
    /// Tags in the digest with the articles that carry them, most frequent first.
    public var tagIndex: [TagCount]
    /// Why each candidate article was included, merged, capped, muted or left out.
    public var decisions: [DigestDecision]

    public init(
        list: SubscriberList, subscriber: Subscriber, window: DigestWindow, topStories: [DigestEntry] = [],
        sections: [DigestSection], tagIndex: [TagCount], decisions: [DigestDecision] = []
    ) {
        self.list = list
        self.subscriber = subscriber
        self.window = window
        self.topStories = topStories
        self.sections = sections
        self.tagIndex = tagIndex
        self.decisions = decisions
    }

    /// Every entry in reading order: top stories, then each section's.
    public var entries: [DigestEntry] { topStories + sections.flatMap(\.entries) }
    public var articles: [Article] { entries.map(\.article) }
    public var articleCount: Int { topStories.count + sections.reduce(0) { $0 + $1.entries.count } }
    public var isEmpty: Bool { articleCount == 0 }
}

/// One story in a digest: its primary article, and what merging and grouping added.
public struct DigestEntry: Sendable, Hashable {
    public var article: Article
    /// The story's other sections, shown as cross-references ("Also in Opinions").
    public var alsoIn: [SectionPath]
    /// Every source that carried the story (more than one after a merge).
    public var sources: [String]
    /// Tags of every merged copy, the primary article's first.
    public var tags: [String]
    /// Higher is more important: sources beyond the first, plus followed tags it carries.
    public var importance: Int

    public init(article: Article, alsoIn: [SectionPath] = [], sources: [String]? = nil, tags: [String]? = nil, importance: Int = 0) {
        self.article = article
        self.alsoIn = alsoIn
        self.sources = sources ?? [article.sourceName]
        self.tags = tags ?? article.tags
        self.importance = importance
    }

    /// Hashes the story by its article's identity and what the digest adds, not by the
    /// article's text: delivery keys its caches by whole digests (thousands of lookups in a
    /// newsroom's run), and hashing every title and summary each time was a tenth of the
    /// run's CPU. Equality still compares everything, so this only changes the hash's cost.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(article.id)
        hasher.combine(article.url)
        hasher.combine(alsoIn)
        hasher.combine(tags)
        hasher.combine(importance)
    }
}

/// The articles of one section of a digest, in reading order.
public struct DigestSection: Sendable, Hashable {
    public var path: SectionPath
    public var entries: [DigestEntry]
    /// Articles left out by a cap ("and 4 more in News > Israel").
    public var moreCount: Int

    public init(path: SectionPath, entries: [DigestEntry], moreCount: Int = 0) {
        self.path = path
        self.entries = entries
        self.moreCount = moreCount
    }

    public init(path: SectionPath, articles: [Article]) {
        self.init(path: path, entries: articles.map { DigestEntry(article: $0) })
    }

    public var articles: [Article] { entries.map(\.article) }

    /// The heading to show: the path, or "Other news" for articles without a section.
    public var title: String { path.isEmpty ? "Other news" : path.description }
}

/// A tag, how many articles in the digest carry it, and which (by URL, in reading order).
public struct TagCount: Sendable, Hashable {
    public var tag: String
    public var count: Int
    public var articleURLs: [String]

    public init(tag: String, count: Int, articleURLs: [String] = []) {
        self.tag = tag
        self.count = count
        self.articleURLs = articleURLs
    }
}

/// What the builder decided about one candidate article, for `gazette preview --explain`.
public struct DigestDecision: Sendable, Hashable {
    public enum Verdict: Sendable, Hashable {
        case included(section: SectionPath, topStory: Bool)
        /// The same story as another article (same canonical URL, or near-identical title).
        case merged(into: String)
        case notFollowed
        case muted(String)
        /// Cut by a per-section or per-digest cap, or to keep the HTML under its budget.
        case capped(String)
        /// First seen too recently; it goes in the next digest.
        case stabilizing(until: Date)
        case tooOld(published: Date)
    }

    public var title: String
    public var url: String
    public var verdict: Verdict
    /// For an included article: the follow that brought it in ("follows #Turkey").
    public var reason: String?

    public init(title: String, url: String, verdict: Verdict, reason: String? = nil) {
        self.title = title
        self.url = url
        self.verdict = verdict
        self.reason = reason
    }
}
