import Foundation
import GazetteModel

/// Every story a list's digests may draw on for one window, deduplicated, ranked and indexed
/// once, then shared by all the subscribers with that window. Building it is the expensive
/// part; one subscriber's digest then costs a walk over integer ids.
public struct CandidatePool: Sendable {
    /// One story: its primary article and what merging added.
    struct Story: Sendable {
        var article: Article
        var sections: [SectionPath]
        var sources: [String]
        var tags: [String]
        /// Sources beyond the first: a story several feeds carry matters more.
        var baseImportance: Int
    }

    public let window: DigestWindow
    let stories: [Story]
    // What selection reads for every story, kept apart from the articles in plain arrays so
    // a digest's hot loop touches integers only.
    /// Sources beyond the first, per story.
    let baseImportance: [Int]
    let sourceCount: [Int]
    /// Interned ids of every prefix of every section a story is in.
    let sectionIDsOf: [[Int32]]
    /// Interned ids of a story's tags, lowercased, without repeats.
    let tagIDsOf: [[Int32]]
    /// Where each story is grouped at the list's section depth (an index into `groups`).
    let groupOf: [Int]
    /// The first spelling of each interned tag, for the tag index.
    let tagNames: [String]
    /// How many stories each group holds.
    let groupSizes: [Int]
    /// Story indices, most important first, then newest, then by title: the order of a digest
    /// for a subscriber who follows no tags.
    let rankOrder: [Int]
    /// The position of each story in `rankOrder`, for breaking ties the same way.
    let rankPosition: [Int]
    /// The sections stories are grouped under, at the list's depth.
    let groups: [SectionPath]
    /// Interned section-prefix keys and tags.
    let sectionKeyIDs: [String: Int32]
    let tagIDs: [String: Int32]
    /// Section-prefix id → stories in that section or below; tag id → stories carrying it.
    let sectionPostings: [[Int]]
    let tagPostings: [[Int]]
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
            stories.append(Story(article: article, sections: [article.section], sources: [article.sourceName], tags: article.tags, baseImportance: 0))
        }

        // Intern section prefixes and tags; build postings and groups.
        var sectionKeyIDs: [String: Int32] = [:]
        var tagIDs: [String: Int32] = [:]
        var sectionPostings: [[Int]] = []
        var tagPostings: [[Int]] = []
        var groupIndex: [SectionPath: Int] = [:]
        var groups: [SectionPath] = []
        var sectionIDsOf: [[Int32]] = []
        var tagIDsOf: [[Int32]] = []
        var groupOf: [Int] = []
        var tagNames: [String] = []
        for index in stories.indices {
            var keys = Set<Int32>()
            for section in stories[index].sections where !section.isEmpty {
                for depth in 1...section.components.count {
                    let key = Self.key(section.truncated(toDepth: depth))
                    let id = sectionKeyIDs[key] ?? {
                        sectionKeyIDs[key] = Int32(sectionPostings.count)
                        sectionPostings.append([])
                        return Int32(sectionPostings.count - 1)
                    }()
                    if keys.insert(id).inserted { sectionPostings[Int(id)].append(index) }
                }
            }
            var tags = Set<Int32>()
            for tag in stories[index].tags {
                let key = tag.lowercased()
                let id = tagIDs[key] ?? {
                    tagIDs[key] = Int32(tagPostings.count)
                    tagPostings.append([])
                    tagNames.append(tag)
                    return Int32(tagPostings.count - 1)
                }()
                if tags.insert(id).inserted { tagPostings[Int(id)].append(index) }
            }
            sectionIDsOf.append(keys.sorted())
            // In the story's own order, so the tag index keeps its first spelling and order.
            var seenTags = Set<Int32>()
            tagIDsOf.append(stories[index].tags.compactMap { tagIDs[$0.lowercased()] }.filter { seenTags.insert($0).inserted })
            let path = stories[index].article.section.truncated(toDepth: rules.sectionDepth)
            groupOf.append(groupIndex[path] ?? {
                groupIndex[path] = groups.count
                groups.append(path)
                return groups.count - 1
            }())
        }
        let rankOrder = stories.indices.sorted { a, b in
            let (x, y) = (stories[a], stories[b])
            if x.baseImportance != y.baseImportance { return x.baseImportance > y.baseImportance }
            if x.article.displayTime != y.article.displayTime { return x.article.displayTime > y.article.displayTime }
            return (x.article.title, x.article.url) < (y.article.title, y.article.url)
        }
        var rankPosition = [Int](repeating: 0, count: stories.count)
        for (position, index) in rankOrder.enumerated() { rankPosition[index] = position }

        self.stories = stories
        self.baseImportance = stories.map(\.baseImportance)
        self.sourceCount = stories.map(\.sources.count)
        self.sectionIDsOf = sectionIDsOf
        self.tagIDsOf = tagIDsOf
        self.groupOf = groupOf
        self.tagNames = tagNames
        var groupSizes = [Int](repeating: 0, count: groups.count)
        for group in groupOf { groupSizes[group] += 1 }
        self.groupSizes = groupSizes
        self.rankOrder = rankOrder
        self.rankPosition = rankPosition
        self.groups = groups
        self.sectionKeyIDs = sectionKeyIDs
        self.tagIDs = tagIDs
        self.sectionPostings = sectionPostings
        self.tagPostings = tagPostings
        self.commonDecisions = decisions
    }

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
        let known = Set(tags.map { $0.lowercased() })
        for tag in other.tags where !known.contains(tag.lowercased()) { tags.append(tag) }
        if article.summary.isEmpty { article.summary = other.summary }
        if article.imageURL == nil { (article.imageURL, article.imageCaption) = (other.imageURL, other.imageCaption) }
    }
}
