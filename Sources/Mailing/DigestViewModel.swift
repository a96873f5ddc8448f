import Foundation
import GazetteModel

/// Everything a digest template can show, already formatted. Templates render from this,
/// never from database rows; `templates/README.md` documents every field.
public struct DigestViewModel: Sendable {
    public struct List: Sendable {
        public var name: String
        public var title: String
        public var senderName: String
        public var senderAddress: String
    }

    public struct Reader: Sendable {
        public var email: String
        public var name: String?
        /// The name to greet with: the subscriber's name, else their address.
        public var greetingName: String
    }

    public struct Tag: Sendable {
        public var name: String
        public var count: Int
    }

    public struct Item: Sendable {
        /// 1-based number across the whole digest; the text part lists links by it.
        public var number: Int
        public var title: String
        public var url: String
        public var summary: String
        public var hasSummary: Bool
        public var authors: String
        public var hasAuthors: Bool
        /// Publish time in the list's time zone, e.g. "26 Nov 2026, 15:22".
        public var time: String
        public var tags: [Tag]
        public var hasTags: Bool
        /// Tags joined for one line of text: "Turkey · ISF".
        public var tagLine: String
        /// BCP 47 language of the article, when known; templates put it in `lang`.
        public var language: String?
        /// The lead image (http or https only), with its caption as alt text.
        public var imageURL: String?
        public var imageAlt: String
        public var hasImage: Bool
    }

    public struct Section: Sendable {
        public var title: String
        /// A fragment id for links to the section ("news-middle-east").
        public var anchor: String
        public var count: Int
        public var items: [Item]
    }

    public var subject: String
    /// Hidden text most mail clients show after the subject in the inbox.
    public var preheader: String
    public var list: List
    public var reader: Reader
    /// The digest's date, e.g. "Thursday, 26 November 2026".
    public var date: String
    public var articleCount: Int
    /// True for a one-article digest, so templates can say "article" rather than "articles".
    public var isSingleArticle: Bool
    public var sections: [Section]
    public var tagIndex: [Tag]
    public var hasTagIndex: Bool
    /// The tag index as one line of text: "Turkey (3) · ISF (2)".
    public var tagIndexLine: String
    public var generator: String
    /// Where to unsubscribe: the https link when the list has one, else the mailto link.
    public var unsubscribeURL: String
    /// The mailto unsubscribe link, always present.
    public var unsubscribeMailto: String
    public var preferencesURL: String?
    public var hasPreferencesURL: Bool
}

extension DigestViewModel {
    /// Formats a digest for the templates; dates in `timeZone`.
    public init(digest: Digest, date: Date, timeZone: TimeZone, links: DigestLinks) {
        let day = Self.formatter("EEEE, d MMMM yyyy", timeZone).string(from: date)
        let timeFormatter = Self.formatter("d MMM yyyy, HH:mm", timeZone)
        var number = 0
        let sections = digest.sections.map { section in
            Section(
                title: section.title,
                anchor: Self.anchor(section.title),
                count: section.articles.count,
                items: section.articles.map { article in
                    number += 1
                    let tags = article.tags.map { Tag(name: $0, count: 1) }
                    let image = article.imageURL.flatMap(Self.webLink)
                    return Item(
                        number: number, title: article.title, url: Self.webLink(article.url) ?? "#", summary: article.summary,
                        hasSummary: !article.summary.isEmpty, authors: Self.joinedNames(article.authors),
                        hasAuthors: !article.authors.isEmpty, time: timeFormatter.string(from: article.displayTime),
                        tags: tags, hasTags: !tags.isEmpty, tagLine: article.tags.joined(separator: " · "),
                        language: article.language, imageURL: image, imageAlt: article.imageCaption ?? article.title,
                        hasImage: image != nil)
                })
        }
        let count = digest.articleCount
        let headlines = digest.articles.prefix(3).map(\.title).joined(separator: " · ")
        self.init(
            subject: "\(digest.list.title) — \(Self.formatter("d MMM yyyy", timeZone).string(from: date))",
            preheader: "\(count) \(count == 1 ? "article" : "articles"): \(headlines)",
            list: List(
                name: digest.list.name, title: digest.list.title, senderName: digest.list.senderName,
                senderAddress: digest.list.senderAddress),
            reader: Reader(
                email: digest.subscriber.email, name: digest.subscriber.name,
                greetingName: digest.subscriber.name ?? digest.subscriber.email),
            date: day,
            articleCount: count,
            isSingleArticle: count == 1,
            sections: sections,
            tagIndex: digest.tagIndex.map { Tag(name: $0.tag, count: $0.count) },
            hasTagIndex: !digest.tagIndex.isEmpty,
            tagIndexLine: digest.tagIndex.map { "\($0.tag) (\($0.count))" }.joined(separator: " · "),
            generator: "Gazette \(GazetteVersion.current)",
            unsubscribeURL: links.unsubscribeURL ?? links.unsubscribeMailto,
            unsubscribeMailto: links.unsubscribeMailto,
            preferencesURL: links.preferencesURL,
            hasPreferencesURL: links.preferencesURL != nil)
    }

    private static func formatter(_ format: String, _ timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = format
        return formatter
    }

    /// The URL when it is an http or https link, else nil: a feed cannot put `javascript:`
    /// or `data:` links into a digest.
    static func webLink(_ url: String) -> String? {
        let lower = url.trimmingCharacters(in: .whitespaces).lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") ? url.trimmingCharacters(in: .whitespaces) : nil
    }

    /// "A", "A and B", "A, B and C".
    static func joinedNames(_ names: [String]) -> String {
        guard names.count > 1, let last = names.last else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + last
    }

    /// A lowercase ASCII-and-letters fragment id built from a heading.
    static func anchor(_ title: String) -> String {
        let words = title.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.isEmpty ? "section" : words.joined(separator: "-")
    }
}
