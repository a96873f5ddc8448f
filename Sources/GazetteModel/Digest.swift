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

/// One subscriber's digest of one list: articles grouped by section, with a tag index.
public struct Digest: Sendable, Hashable {
    public var list: SubscriberList
    public var subscriber: Subscriber
    public var window: DigestWindow
    public var sections: [DigestSection]
    /// Tags in the digest with how many articles carry them, most frequent first.
    public var tagIndex: [TagCount]

    public init(list: SubscriberList, subscriber: Subscriber, window: DigestWindow, sections: [DigestSection], tagIndex: [TagCount]) {
        self.list = list
        self.subscriber = subscriber
        self.window = window
        self.sections = sections
        self.tagIndex = tagIndex
    }

    public var articleCount: Int { sections.reduce(0) { $0 + $1.articles.count } }
    public var isEmpty: Bool { articleCount == 0 }
    public var articles: [Article] { sections.flatMap(\.articles) }
}

/// The articles of one section of a digest, in reading order.
public struct DigestSection: Sendable, Hashable {
    public var path: SectionPath
    public var articles: [Article]

    public init(path: SectionPath, articles: [Article]) {
        self.path = path
        self.articles = articles
    }

    /// The heading to show: the path, or "Other news" for articles without a section.
    public var title: String { path.isEmpty ? "Other news" : path.description }
}

/// A tag and the number of articles in the digest that carry it.
public struct TagCount: Sendable, Hashable {
    public var tag: String
    public var count: Int

    public init(tag: String, count: Int) {
        self.tag = tag
        self.count = count
    }
}
