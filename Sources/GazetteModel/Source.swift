import Foundation

/// A feed Gazette reads, as declared in the config.
public struct Source: Sendable, Hashable, Codable {
    /// A short unique name ("israelhayom").
    public var name: String
    /// The feed's URL: http, https or file.
    public var feedURL: String
    /// The site's home page, when known.
    public var siteURL: String?
    /// On the first fetch, how many of the newest items count as news; the rest of the feed
    /// is recorded as seen and never mailed, so adding a source does not flood subscribers.
    public var backfill: Int
    public var kind: Kind
    /// Read each new article's own page for its section, tags, byline and dates.
    /// Sitemap and page sources always do: they have nothing else.
    public var enrich: Bool
    /// For a `.page` source: the selector picking article links on the section page.
    public var linkSelector: String?
    /// A local folder standing in for the site's web server when reading article pages
    /// (`https://site/a/b/` → `FOLDER/a/b/index.html`): for the offline demo and archives.
    public var pageMirror: String?

    /// What `feedURL` points at.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// An RSS, Atom or JSON feed.
        case feed
        /// A sitemap or Google News sitemap (or a sitemap index).
        case sitemap
        /// A section page whose article links `linkSelector` picks.
        case page
    }

    public init(
        name: String, feedURL: String, siteURL: String? = nil, backfill: Int = 0, kind: Kind = .feed, enrich: Bool = false,
        linkSelector: String? = nil, pageMirror: String? = nil
    ) {
        self.name = name
        self.feedURL = feedURL
        self.siteURL = siteURL
        self.backfill = backfill
        self.kind = kind
        self.enrich = enrich || kind != .feed
        self.linkSelector = linkSelector
        self.pageMirror = pageMirror
    }
}

/// What Gazette remembers between fetches of one source, for conditional GET and health reports.
public struct SourceState: Sendable, Hashable, Codable {
    public var etag: String?
    public var lastModified: String?
    /// Where a permanent redirect moved the feed; fetched instead of the configured URL.
    public var movedTo: String?
    /// Not to be fetched before this (the server's or the feed's own wish).
    public var nextFetchAt: Date?

    public init(etag: String? = nil, lastModified: String? = nil, movedTo: String? = nil, nextFetchAt: Date? = nil) {
        self.etag = etag
        self.lastModified = lastModified
        self.movedTo = movedTo
        self.nextFetchAt = nextFetchAt
    }
}
