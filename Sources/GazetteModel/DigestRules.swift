import Foundation

/// How a list selects, orders and limits the articles of each digest. Set per list in the
/// config; the defaults suit a daily news digest.
public struct DigestRules: Sendable, Hashable, Codable {
    /// What to do when a subscriber has nothing new.
    public enum EmptyDigest: String, Sendable, Hashable, Codable {
        /// Send nothing (the default).
        case skip
        /// Send a short "nothing new" note.
        case note
    }

    /// How far back a subscriber's first digest reaches, so a new reader never gets the archive.
    public var firstDigestLookback: TimeInterval = 24 * 3600
    /// Articles published longer ago than this are left out, however late they were seen.
    public var maxArticleAge: TimeInterval?
    /// Articles first seen less than this long ago wait for the next digest, so items that are
    /// still being published or edited are not sent.
    public var stabilization: TimeInterval = 30 * 60
    /// Section depth at which articles are grouped: 2 groups "News > Middle East > Peace
    /// Process" under "News > Middle East".
    public var sectionDepth: Int = 2
    /// Sections in the order the list wants them; others follow, largest first.
    public var sectionOrder: [SectionPath] = []
    /// At most this many articles in a section, the rest counted in its "and N more": a digest
    /// stays readable (and cheap to build) on a day with thousands of articles.
    public var maxPerSection: Int? = 8
    /// At most this many articles in a digest, the rest counted per section.
    public var maxArticles: Int? = 50
    /// How many "top stories" to lift to the top (0: no block): stories carried by several
    /// feeds or matching several followed tags.
    public var topStories: Int = 0
    /// What a subscriber who chose nothing follows (empty: the whole list).
    public var presetSections: [SectionPath] = []
    public var presetTags: [String] = []
    /// Sections and tags nobody on the list gets.
    public var mutedSections: [SectionPath] = []
    public var mutedTags: [String] = []
    public var emptyDigest: EmptyDigest = .skip
    /// The HTML part is kept under this many bytes (Gmail clips messages past about 102 KB)
    /// by trimming summaries first, then the least important articles.
    public var htmlBudget: Int = 100_000
    /// A scheduled edition missed by more than this (the machine was off) is skipped; its
    /// articles go out with the next one. Also keeps a first run at night from sending the
    /// previous morning's edition hours late.
    public var catchUp: TimeInterval = 12 * 3600

    public init() {}
}
