import Foundation

/// What a feed document says, format differences smoothed out. Pure data, no I/O.
public struct ParsedFeed: Sendable, Hashable {
    /// The format and version the document was written in, as `gazette parse-feed` names it.
    /// `rss090` is Netscape's RDF-based RSS 0.90; `rss09` the later 0.91 to 0.94.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case rss20, rss10, rss090, rss09, atom10, atom03, json10, json11

        public var isAtom: Bool { self == .atom10 || self == .atom03 }
        public var isJSON: Bool { self == .json10 || self == .json11 }
    }

    public var format: Format
    public var title: String
    /// The site's home page (RSS `<link>`, Atom `rel=alternate`, JSON `home_page_url`).
    public var siteURL: String?
    public var subtitle: String?
    public var language: String?
    public var updatedAt: Date?
    public var authors: [String]
    /// RSS `<ttl>` in minutes, when the feed states one.
    public var ttlMinutes: Int?
    public var items: [FeedItem]
    /// What was odd but survivable: a recovered syntax error, an unreadable date, a
    /// duplicate guid. One line each, for logs and `parse-feed`.
    public var warnings: [String]

    public init(
        format: Format, title: String, siteURL: String? = nil, subtitle: String? = nil, language: String? = nil,
        updatedAt: Date? = nil, authors: [String] = [], ttlMinutes: Int? = nil, items: [FeedItem], warnings: [String] = []
    ) {
        self.format = format
        self.title = title
        self.siteURL = siteURL
        self.subtitle = subtitle
        self.language = language
        self.updatedAt = updatedAt
        self.authors = authors
        self.ttlMinutes = ttlMinutes
        self.items = items
        self.warnings = warnings
    }
}

/// One entry of a feed, before Gazette stores it as an `Article`.
public struct FeedItem: Sendable, Hashable {
    /// The feed's own identifier (RSS `guid`, RDF `rdf:about`, Atom `id`, JSON `id`).
    public var guid: String?
    /// The article's absolute URL, resolved against the feed's base URL.
    public var link: String?
    /// Plain text: entities decoded, markup removed.
    public var title: String
    /// Plain-text summary, markup removed, cut to a digest-sized length.
    public var summary: String
    /// The summary as sanitized HTML (no scripts, handlers or `javascript:` URLs). Sanitized
    /// when read, as `contentHTML` is: a fetch never reads it.
    public var summaryHTML: String? {
        get { summaryBody?.sanitized }
        set { summaryBody = newValue.map { .sanitized($0) } }
    }
    /// What `summaryHTML` is made from.
    var summaryBody: ItemContent?
    /// The full content as sanitized HTML (`content:encoded`, Atom `content`, `content_html`).
    ///
    /// Sanitized when read, not when the feed is parsed: a fetch stores each item's summary,
    /// never its content, and the content is most of a WordPress feed's bytes, so sanitizing
    /// it up front (a second HTML parse per item) was about half of every fetch's parsing for
    /// a value only `gazette parse-feed` prints. Reading it gives the same string either way.
    public var contentHTML: String? {
        get { content?.sanitized }
        set { content = newValue.map { .sanitized($0) } }
    }
    /// What `contentHTML` is made from.
    var content: ItemContent?
    public var authors: [String]
    public var publishedAt: Date?
    public var updatedAt: Date?
    public var categories: [FeedCategory]
    public var enclosures: [FeedEnclosure]
    public var imageURL: String?
    public var imageCaption: String?
    public var language: String?

    public init(
        guid: String? = nil, link: String? = nil, title: String, summary: String = "", summaryHTML: String? = nil,
        contentHTML: String? = nil, authors: [String] = [], publishedAt: Date? = nil, updatedAt: Date? = nil,
        categories: [FeedCategory] = [], enclosures: [FeedEnclosure] = [], imageURL: String? = nil,
        imageCaption: String? = nil, language: String? = nil
    ) {
        self.guid = guid
        self.link = link
        self.title = title
        self.summary = summary
        self.summaryBody = summaryHTML.map { .sanitized($0) }
        self.content = contentHTML.map { .sanitized($0) }
        self.authors = authors
        self.publishedAt = publishedAt
        self.updatedAt = updatedAt
        self.categories = categories
        self.enclosures = enclosures
        self.imageURL = imageURL
        self.imageCaption = imageCaption
        self.language = language
    }
}

/// An item's content HTML: already sanitized, or as the feed had it, with the base URL its
/// links resolve against. Two values are equal when they sanitize to the same HTML.
enum ItemContent: Sendable, Hashable {
    case sanitized(String)
    case unsanitized(FeedHTML, baseURL: String?)

    var sanitized: String {
        switch self {
        case .sanitized(let html): html
        case .unsanitized(let html, let baseURL): HTMLSanitizer.sanitize(html, baseURL: baseURL)
        }
    }

    static func == (lhs: ItemContent, rhs: ItemContent) -> Bool { lhs.sanitized == rhs.sanitized }
    func hash(into hasher: inout Hasher) { hasher.combine(sanitized) }
}

/// HTML as the feed has it: a string, or a slice of the feed's own bytes (valid UTF-8) that
/// becomes one only when read. A fetch never reads an item's content, and making a `String` of
/// it (a copy, and a check of every byte) was a tenth of reading a WordPress feed.
enum FeedHTML: Sendable {
    case string(String)
    case bytes(Data)

    var string: String {
        switch self {
        case .string(let text): text
        case .bytes(let data): data.withUnsafeBytes { String(decoding: $0.bindMemory(to: UInt8.self), as: UTF8.self) }
        }
    }
}

/// A feed category: RSS `<category domain=…>` or Atom `<category term= scheme= label=>`.
public struct FeedCategory: Sendable, Hashable {
    public var term: String
    /// RSS `domain` or Atom `scheme`: WordPress writes "category" or "post_tag" here.
    public var scheme: String?

    /// The term is cleaned here, as every other text field is where the parsers read it:
    /// `CategoryClassifier` cleaned it for articles, but `gazette parse-feed` printed it raw,
    /// newlines and bidi overrides included. Found by fuzzing.
    public init(term: String, scheme: String? = nil) {
        self.term = collapsingWhitespace(term)
        self.scheme = scheme
    }
}

/// A file attached to an entry: RSS `<enclosure>`, Atom `rel="enclosure"`, JSON `attachments`.
public struct FeedEnclosure: Sendable, Hashable {
    public var url: String
    public var type: String?
    /// Size in bytes, when the feed states it.
    public var length: Int?

    public init(url: String, type: String? = nil, length: Int? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}

/// Why a document could not be read as a feed. Descriptions are one line, for logs.
public enum FeedParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case notWellFormed(line: Int, reason: String)
    case unrecognizedFormat(rootElement: String)
    case invalidJSON(reason: String)
    case unsafeDocument(reason: String)

    public var description: String {
        switch self {
        case .empty:
            "the document is empty"
        case .notWellFormed(let line, let reason):
            "not well-formed XML at line \(line): \(reason)"
        case .unrecognizedFormat(let root):
            "not an RSS, Atom or JSON feed (the document starts with <\(root)>); is this an HTML page?"
        case .invalidJSON(let reason):
            "not a JSON Feed: \(reason)"
        case .unsafeDocument(let reason):
            "refused: \(reason)"
        }
    }
}
