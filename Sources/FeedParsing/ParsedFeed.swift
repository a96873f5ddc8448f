import Foundation

/// What a feed document says, format differences smoothed out. Pure data, no I/O.
public struct ParsedFeed: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable {
        case rss, rdf, atom
    }

    public var format: Format
    public var title: String
    public var siteURL: String?
    /// RSS `<ttl>` in minutes, when the feed states one.
    public var ttlMinutes: Int?
    public var items: [FeedItem]

    public init(format: Format, title: String, siteURL: String? = nil, ttlMinutes: Int? = nil, items: [FeedItem]) {
        self.format = format
        self.title = title
        self.siteURL = siteURL
        self.ttlMinutes = ttlMinutes
        self.items = items
    }
}

/// One entry of a feed, before Gazette stores it as an `Article`.
public struct FeedItem: Sendable, Hashable {
    public var guid: String?
    /// The article's absolute URL, resolved against the feed's base URL.
    public var link: String?
    public var title: String
    /// Plain-text summary, markup removed.
    public var summary: String
    public var authors: [String]
    public var publishedAt: Date?
    public var updatedAt: Date?
    public var categories: [FeedCategory]
    public var imageURL: String?
    public var imageCaption: String?
    public var language: String?

    public init(
        guid: String? = nil, link: String? = nil, title: String, summary: String = "", authors: [String] = [],
        publishedAt: Date? = nil, updatedAt: Date? = nil, categories: [FeedCategory] = [], imageURL: String? = nil,
        imageCaption: String? = nil, language: String? = nil
    ) {
        self.guid = guid
        self.link = link
        self.title = title
        self.summary = summary
        self.authors = authors
        self.publishedAt = publishedAt
        self.updatedAt = updatedAt
        self.categories = categories
        self.imageURL = imageURL
        self.imageCaption = imageCaption
        self.language = language
    }
}

/// A feed category: RSS `<category domain=…>` or Atom `<category term= scheme= label=>`.
public struct FeedCategory: Sendable, Hashable {
    public var term: String
    /// RSS `domain` or Atom `scheme`: WordPress writes "category" or "post_tag" here.
    public var scheme: String?

    public init(term: String, scheme: String? = nil) {
        self.term = term
        self.scheme = scheme
    }
}

/// Why a document could not be read as a feed. Descriptions are one line, for logs.
public enum FeedParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case notWellFormed(line: Int, reason: String)
    case unrecognizedFormat(rootElement: String)

    public var description: String {
        switch self {
        case .empty:
            "the document is empty"
        case .notWellFormed(let line, let reason):
            "not well-formed XML at line \(line): \(reason)"
        case .unrecognizedFormat(let root):
            "not an RSS or Atom feed (the document starts with <\(root)>); is this an HTML page?"
        }
    }
}
