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
        /// The list's language ("en", "he"), for `lang`.
        public var language: String
        /// "rtl" or "ltr", from the language's strings file, for `dir`.
        public var direction: String
    }

    public struct Reader: Sendable {
        public var email: String
        public var name: String?
        /// The name to greet with: the subscriber's name, else their address.
        public var greetingName: String
    }

    /// A link to one article by its number: "[3]" in text, `#a3` in HTML.
    public struct ArticleLink: Sendable, Hashable {
        public var number: Int
        public var anchor: String
    }

    public struct Tag: Sendable, Hashable {
        public var name: String
        public var count: Int
        /// The articles carrying the tag, in reading order (in the tag index only).
        public var articles: [ArticleLink]
        /// "1, 4, 7": the articles' numbers.
        public var numbers: String
        /// The preferences page, asked to follow this tag; nil when the list has no such page
        /// (templates then show the name as plain text, never as a link that goes nowhere).
        public var url: String?
        public var hasURL: Bool
        /// "ltr" or "rtl": the tag name's own direction.
        public var direction: String
        /// True when the name runs the other way than the text around it (the story, or the
        /// chrome in the index): templates put it in `<bdi>`.
        public var isolated: Bool
    }

    public struct Item: Sendable, Hashable {
        /// 1-based number across the whole digest; the text part lists links by it.
        public var number: Int
        /// Fragment id of the article in the HTML part ("a3").
        public var anchor: String
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
        /// Tags joined for one line of text: "Turkey · ISF", spaces inside a tag (and before
        /// each "·") no-break spaces, so wrapping never splits a tag.
        public var tagLine: String
        /// The story's other sections: "Opinions · Culture".
        public var alsoIn: String
        public var hasAlsoIn: Bool
        /// BCP 47 language of the article, when known; templates put it in `lang`.
        public var language: String?
        /// "ltr" or "rtl", from the language or, without one, the title's and summary's letters
        /// (`TextDirection`). Templates put it in `dir` on each block of the story.
        public var direction: String
        public var isRightToLeft: Bool
        /// "left" or "right": the `text-align` that goes with `direction`.
        public var align: String
        /// The title and summary cut into runs: the `isolated` ones run against `direction`
        /// and go in `<bdi>`.
        public var titleRuns: [DirectionRun]
        public var summaryRuns: [DirectionRun]
        /// The lead image (http or https only), with its caption as alt text.
        public var imageURL: String?
        public var imageAlt: String
        public var hasImage: Bool

        /// Hashes the fields that tell an edition's items apart, not every text: `ArticleBlocks`
        /// looks its blocks up by item for each article of every distinct digest, and hashing
        /// each summary and direction run again was a sixtieth of a newsroom's run. Equality
        /// still compares everything, so this only changes the hash's cost.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(number)
            hasher.combine(url)
            hasher.combine(title)
            hasher.combine(summary.utf8.count)
            hasher.combine(imageURL)
        }
    }

    public struct Section: Sendable {
        public var title: String
        /// A fragment id for links to the section ("news-middle-east"), for `<a name>`.
        public var anchor: String
        /// "ltr" or "rtl" by the title's letters, and the `text-align` that goes with it.
        public var direction: String
        public var align: String
        public var count: Int
        /// False for a section whose articles were all left out by a cap: only `moreText` shows.
        public var hasItems: Bool
        public var items: [Item]
        /// Articles a cap left out of this section.
        public var moreCount: Int
        public var hasMore: Bool
        /// "and 4 more in News > Israel".
        public var moreText: String
    }

    /// The subject line, from the list's `subject` or the language's default.
    public var subject: String
    /// The chrome's words in the list's language, by key (`templates/strings/<language>.toml`),
    /// placeholders filled: `{{t.newArticles}}` is "3 new articles".
    public var t: [String: String]
    /// Hidden text most mail clients show after the subject in the inbox.
    public var preheader: String
    public var list: List
    public var reader: Reader
    /// The digest's date, e.g. "Thursday, 26 November 2026".
    public var date: String
    /// The digest's date in short, e.g. "26 Nov 2026".
    public var shortDate: String
    /// The first article's title (the top story, else the first section's), for subjects;
    /// empty for a "nothing new" note.
    public var leadStory: String
    public var hasLeadStory: Bool
    /// When the digest's window starts, e.g. "25 Nov 2026, 07:00".
    public var since: String
    public var articleCount: Int
    /// True for a "nothing new" note (lists with `empty_digest = "note"`).
    public var isEmpty: Bool
    /// True for a one-article digest, so templates can say "article" rather than "articles".
    public var isSingleArticle: Bool
    public var topStories: [Item]
    public var hasTopStories: Bool
    public var sections: [Section]
    public var tagIndex: [Tag]
    public var hasTagIndex: Bool
    /// The most frequent tags (at most `indexTagLimit`), for a short index at the top.
    public var indexTags: [Tag]
    /// The tag index as one line of text, with the articles' numbers: "Turkey [1] [4] · ISF [1]".
    /// A tag's name and its first number are joined by no-break spaces, so wrapping keeps them
    /// together; no line starts with "·".
    public var tagIndexLine: String
    public var generator: String
    /// Where to unsubscribe: the https link when the list has one, else the mailto link.
    public var unsubscribeURL: String
    /// The mailto unsubscribe link, always present.
    public var unsubscribeMailto: String
    public var preferencesURL: String?
    public var hasPreferencesURL: Bool
}
