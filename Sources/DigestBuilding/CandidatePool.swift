import Foundation
import GazetteModel

/// Every story a list's digests may draw on for one window, deduplicated and indexed once,
/// then shared by all the subscribers with that window. Building it is the expensive part;
/// selecting one subscriber's stories from it only walks the postings they follow.
public struct CandidatePool: Sendable {
    /// One story: its primary article and what merging added.
    struct Story: Sendable {
        var article: Article
        var sections: [SectionPath]
        var sources: [String]
        var tags: [String]
        /// Lowercased tags, for matching.
        var tagKeys: Set<String>
        /// Sources beyond the first: a story several feeds carry matters more.
        var baseImportance: Int
    }

    public let window: DigestWindow
    let stories: [Story]
    /// Section path key (lowercased components joined) → stories in that section or below.
    let sectionPostings: [String: [Int]]
    /// Lowercased tag → stories carrying it.
    let tagPostings: [String: [Int]]
    /// Decisions already made for all subscribers alike: merged, stabilizing, too old.
    let commonDecisions: [DigestDecision]

    /// - Parameters:
    ///   - articles: the stored articles first seen after `window.start`, up to `now`; those
    ///     seen after `window.end` (still stabilizing) are only explained.
    public init(articles: [Article], window: DigestWindow, rules: DigestRules, now: Date) {
        self.window = window
        var decisions: [DigestDecision] = []
        var stories: [Story] = []
        var byURL: [String: Int] = [:]
        var byTitle: [String: Int] = [:]
        // Oldest first, so the first copy seen becomes the primary article.
        let ordered = articles.sorted { ($0.firstSeenAt, $0.url) < ($1.firstSeenAt, $1.url) }
        for article in ordered {
            guard article.firstSeenAt > window.start else { continue }
            if article.firstSeenAt > window.end {
                decisions.append(DigestDecision(
                    title: article.title, url: article.url,
                    verdict: .stabilizing(until: article.firstSeenAt.addingTimeInterval(rules.stabilization))))
                continue
            }
            if let maxAge = rules.maxArticleAge, let published = article.publishedAt, published < now.addingTimeInterval(-maxAge) {
                decisions.append(DigestDecision(title: article.title, url: article.url, verdict: .tooOld(published: published)))
                continue
            }
            let urlKey = StoryKey.canonicalURL(article.url)
            let titleKey = StoryKey.titleKey(article.title)
            if let existing = byURL[urlKey] ?? titleKey.flatMap({ byTitle[$0] }) {
                stories[existing].merge(article)
                decisions.append(DigestDecision(title: article.title, url: article.url, verdict: .merged(into: stories[existing].article.url)))
                continue
            }
            byURL[urlKey] = stories.count
            if let titleKey { byTitle[titleKey] = stories.count }
            stories.append(Story(
                article: article, sections: [article.section], sources: [article.sourceName], tags: article.tags,
                tagKeys: Set(article.tags.map { $0.lowercased() }), baseImportance: 0))
        }
        var sectionPostings: [String: [Int]] = [:]
        var tagPostings: [String: [Int]] = [:]
        for (index, story) in stories.enumerated() {
            var keys = Set<String>()
            for section in story.sections {
                for depth in 1...max(section.components.count, 1) where !section.isEmpty {
                    keys.insert(Self.key(section.truncated(toDepth: depth)))
                }
            }
            for key in keys { sectionPostings[key, default: []].append(index) }
            for tag in story.tagKeys { tagPostings[tag, default: []].append(index) }
        }
        self.stories = stories
        self.sectionPostings = sectionPostings
        self.tagPostings = tagPostings
        self.commonDecisions = decisions
    }

    public var storyCount: Int { stories.count }

    static func key(_ section: SectionPath) -> String {
        section.components.map { $0.lowercased() }.joined(separator: "\u{1F}")
    }
}

extension CandidatePool.Story {
    /// Folds another copy of the story in: its source, section and tags become the story's.
    mutating func merge(_ other: Article) {
        if !sources.contains(other.sourceName) {
            sources.append(other.sourceName)
            baseImportance += 1
        }
        if !sections.contains(other.section), !other.section.isEmpty { sections.append(other.section) }
        for tag in other.tags where tagKeys.insert(tag.lowercased()).inserted { tags.append(tag) }
        if article.summary.isEmpty { article.summary = other.summary }
        if article.imageURL == nil { (article.imageURL, article.imageCaption) = (other.imageURL, other.imageCaption) }
    }
}
