import Foundation

/// What an article's own page says about it: the facts feeds leave out.
///
/// Every field is optional or may be empty: a page without metadata yields an empty value,
/// never an error, and the article goes out with what its feed gave.
public struct ArticleMetadata: Sendable, Hashable {
    /// The page's canonical URL (`<link rel=canonical>`, `og:url`, JSON-LD `url`).
    public var url: String?
    public var title: String?
    public var authors: [String] = []
    public var publishedAt: Date?
    /// The UTC offset, in seconds east, that the page wrote its publish time in; nil when it
    /// wrote none or only a day. Lets the time be shown as the page's readers saw it.
    public var publishedOffset: Int?
    public var modifiedAt: Date?
    /// The section path, broadest first, "Home" and the article itself dropped.
    public var section: [String] = []
    public var tags: [String] = []
    /// A plain-text summary.
    public var summary: String?
    public var image: PageImage?
    /// The site's own name ("The Guardian"), from `og:site_name` or the JSON-LD publisher.
    public var siteName: String?
    /// BCP 47 language tag ("he", "en-US").
    public var language: String?
    public var direction: TextDirection = .ltr
    /// What was odd but survivable: invalid JSON-LD, an unreadable date. One line each.
    public var warnings: [String] = []

    public init() {}
}

/// The lead image of an article page.
public struct PageImage: Sendable, Hashable {
    public var url: String
    public var caption: String?
    public var alt: String?

    public init(url: String, caption: String? = nil, alt: String? = nil) {
        self.url = url
        self.caption = caption
        self.alt = alt
    }
}

public enum TextDirection: String, Sendable, Hashable {
    case ltr, rtl

    /// Languages written right to left.
    static let rightToLeftLanguages: Set<String> = ["ar", "arc", "dv", "fa", "ha", "he", "iw", "khw", "ks", "ku", "ps", "sd", "ur", "yi"]

    /// The direction a language is written in; nil when unknown.
    static func of(language: String?) -> TextDirection? {
        guard let primary = language?.split(whereSeparator: { $0 == "-" || $0 == "_" }).first?.lowercased() else { return nil }
        return rightToLeftLanguages.contains(primary) ? .rtl : .ltr
    }
}
