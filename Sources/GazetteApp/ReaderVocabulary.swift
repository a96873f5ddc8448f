import Foundation
import GazetteModel

/// What a reader can choose to follow or mute in a list: the sections and tags of recent
/// articles, most used first, plus whatever the reader already chose, so nothing they
/// picked disappears from the page because it was quiet lately.
public struct ReaderVocabulary: Sendable, Hashable {
    public var sections: [SectionPath]
    public var tags: [String]
    /// The most common language of recent articles (BCP 47), for a page's `lang` and `dir`.
    public var language: String?

    /// How far back the articles go.
    public static let lookback: TimeInterval = 30 * 24 * 3600
    /// At most this many of each, so the page stays short.
    public static let limit = 40

    public init(articles: [Article], sectionDepth: Int, keeping subscription: Subscription?) {
        func ranked<T: Hashable>(_ items: [T]) -> [T] {
            let counts = items.reduce(into: [T: Int]()) { $0[$1, default: 0] += 1 }
            return counts.sorted { $0.value != $1.value ? $0.value > $1.value : "\($0.key)" < "\($1.key)" }.map(\.key)
        }
        let sections = ranked(articles.map { $0.section.truncated(toDepth: sectionDepth) }.filter { !$0.isEmpty })
        let tags = ranked(articles.flatMap(\.tags).filter { !$0.isEmpty })
        let chosenSections = (subscription?.sections ?? []) + (subscription?.mutedSections ?? [])
        let chosenTags = (subscription?.tags ?? []) + (subscription?.mutedTags ?? [])
        self.sections = Self.merged(chosenSections, Array(sections.prefix(Self.limit))).sorted()
        self.tags = Self.merged(chosenTags, Array(tags.prefix(Self.limit))).sorted {
            $0.localizedStandardCompare($1) == .orderedAscending
        }
        self.language = Self.commonLanguage(of: articles)
    }

    private static func merged<T: Hashable>(_ first: [T], _ second: [T]) -> [T] {
        var seen = Set<T>()
        return (first + second).filter { seen.insert($0).inserted }
    }

    /// The language most of `articles` are in, if any says.
    public static func commonLanguage(of articles: [Article]) -> String? {
        let counts = articles.compactMap(\.language).filter { !$0.isEmpty }.reduce(into: [String: Int]()) {
            $0[$1, default: 0] += 1
        }
        return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
    }

    /// Whether text in `language` runs right to left (Hebrew, Arabic, Persian, Urdu, Yiddish…).
    public static func isRightToLeft(_ language: String?) -> Bool {
        guard let primary = language?.lowercased().split(separator: "-").first else { return false }
        return ["he", "iw", "ar", "fa", "ur", "yi", "ps", "sd", "ckb", "dv"].contains(String(primary))
    }
}
