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

    public init(name: String, feedURL: String, siteURL: String? = nil, backfill: Int = 0) {
        self.name = name
        self.feedURL = feedURL
        self.siteURL = siteURL
        self.backfill = backfill
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
