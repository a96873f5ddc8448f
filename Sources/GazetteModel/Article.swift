import Foundation

/// One news article as Gazette knows it: what the feed said, completed by the article's page.
public struct Article: Sendable, Hashable, Codable, Identifiable {
    /// The store's row id; nil until the article is stored.
    public var id: Int64?
    /// Name of the source (from the config) the article came from.
    public var sourceName: String
    /// The feed's own identifier (RSS `guid`, Atom `id`); falls back to the link.
    public var guid: String
    /// The canonical URL of the article's page.
    public var url: String
    public var title: String
    /// A short plain-text summary, without markup.
    public var summary: String
    public var authors: [String]
    public var publishedAt: Date?
    public var section: SectionPath
    public var tags: [String]
    /// When Gazette first saw the article; digests select by this, never by the site's clock.
    public var firstSeenAt: Date
    /// BCP 47 language tag when known ("en", "he").
    public var language: String?
    /// The lead image's absolute URL, when the feed or page names one.
    public var imageURL: String?
    /// The lead image's caption or alt text, used as the image's alt text in the email.
    public var imageCaption: String?

    public init(
        id: Int64? = nil, sourceName: String, guid: String, url: String, title: String,
        summary: String = "", authors: [String] = [], publishedAt: Date? = nil,
        section: SectionPath = .none, tags: [String] = [], firstSeenAt: Date, language: String? = nil,
        imageURL: String? = nil, imageCaption: String? = nil
    ) {
        self.imageURL = imageURL
        self.imageCaption = imageCaption
        self.id = id
        self.sourceName = sourceName
        self.guid = guid
        self.url = url
        self.title = title
        self.summary = summary
        self.authors = authors
        self.publishedAt = publishedAt
        self.section = section
        self.tags = tags
        self.firstSeenAt = firstSeenAt
        self.language = language
    }

    /// The time to sort and show: the publish time when the site gave one, else when Gazette saw it.
    public var displayTime: Date { publishedAt ?? firstSeenAt }
}
