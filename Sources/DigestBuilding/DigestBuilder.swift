import Foundation
import GazetteModel

/// Decides what one subscriber's digest holds. Pure: the same pool, subscriber and rules
/// give the same digest, byte for byte.
public struct DigestBuilder: Sendable {
    public init() {}

    /// The window a digest built at `now` covers: from the end of the last digest that
    /// reached the subscriber (so a failed delivery's articles roll into the next one), or the
    /// list's look-back for a first digest, up to `now` less the stabilization time.
    public static func window(lastSentEnd: Date?, now: Date, rules: DigestRules) -> DigestWindow {
        let start = lastSentEnd ?? now.addingTimeInterval(-rules.firstDigestLookback)
        return DigestWindow(start: start, end: max(start, now.addingTimeInterval(-rules.stabilization)))
    }

    /// Builds one subscriber's digest from a pool.
    /// - Parameter explain: also record why every candidate was left out (slower; for previews).
    public func build(
        pool: CandidatePool, list: SubscriberList, subscriber: Subscriber, subscription: Subscription, explain: Bool = false
    ) -> Digest {
        let rules = list.rules
        let preferences = Preferences(subscription: subscription, rules: rules)
        var decisions = explain ? pool.commonDecisions : []
        func note(_ story: CandidatePool.Story, _ verdict: DigestDecision.Verdict) {
            if explain { decisions.append(DigestDecision(title: story.article.title, url: story.article.url, verdict: verdict)) }
        }

        // 1. Select: what the subscriber follows, less what they or the list mute.
        var chosen: [(index: Int, importance: Int)] = []
        for index in preferences.candidates(in: pool) {
            let story = pool.stories[index]
            if let reason = preferences.muteReason(story) {
                note(story, .muted(reason))
                continue
            }
            chosen.append((index, story.baseImportance + preferences.followedTagCount(story)))
        }
        if explain {
            let picked = Set(chosen.map(\.index))
            let muted = Set(decisions.compactMap { if case .muted = $0.verdict { $0.url } else { nil } })
            for (index, story) in pool.stories.enumerated() where !picked.contains(index) && !muted.contains(story.article.url) {
                note(story, .notFollowed)
            }
        }
        func rank(_ a: (index: Int, importance: Int), _ b: (index: Int, importance: Int)) -> Bool {
            if a.importance != b.importance { return a.importance > b.importance }
            let (x, y) = (pool.stories[a.index].article, pool.stories[b.index].article)
            if x.displayTime != y.displayTime { return x.displayTime > y.displayTime }
            return (x.title, x.url) < (y.title, y.url)
        }
        chosen.sort(by: rank)

        // 2. Cap the whole digest, keeping the most important.
        var capped: [Int] = []
        if let limit = rules.maxArticles, chosen.count > limit {
            capped = chosen[limit...].map(\.index)
            chosen.removeLast(chosen.count - limit)
        }

        // 3. Top stories: carried by several feeds, or matching several followed tags.
        var top: [(index: Int, importance: Int)] = []
        if rules.topStories > 0 {
            top = Array(chosen.filter { pool.stories[$0.index].sources.count > 1 || preferences.followedTagCount(pool.stories[$0.index]) > 1 }
                .prefix(rules.topStories))
            let lifted = Set(top.map(\.index))
            chosen.removeAll { lifted.contains($0.index) }
        }

        // 4. Group by primary section, cap each section, order the sections.
        let depth = rules.sectionDepth
        var groups: [SectionPath: [(index: Int, importance: Int)]] = [:]
        for item in chosen { groups[pool.stories[item.index].article.section.truncated(toDepth: depth), default: []].append(item) }
        var more: [SectionPath: Int] = [:]
        for index in capped { more[pool.stories[index].article.section.truncated(toDepth: depth), default: 0] += 1 }
        var sections: [DigestSection] = []
        for (path, items) in groups {
            var kept = items  // already in rank order
            if let limit = rules.maxPerSection, kept.count > limit {
                for item in kept[limit...] { note(pool.stories[item.index], .capped("at most \(limit) in \(path.isEmpty ? "Other news" : path.description)")) }
                more[path, default: 0] += kept.count - limit
                kept.removeLast(kept.count - limit)
            }
            sections.append(DigestSection(path: path, entries: kept.map { entry(pool, $0, depth: depth) }, moreCount: more[path] ?? 0))
        }
        for index in capped { note(pool.stories[index], .capped("at most \(rules.maxArticles ?? 0) articles in a digest")) }
        // A section whose every article was capped still says how many it had.
        for (path, count) in more where groups[path] == nil {
            sections.append(DigestSection(path: path, entries: [], moreCount: count))
        }
        sections.sort { sectionPrecedes($0, $1, order: rules.sectionOrder) }

        let topEntries = top.map { entry(pool, $0, depth: depth) }
        if explain {
            for entry in topEntries { decisions.append(DigestDecision(title: entry.article.title, url: entry.article.url, verdict: .included(section: entry.article.section, topStory: true))) }
            for section in sections {
                for entry in section.entries {
                    decisions.append(DigestDecision(title: entry.article.title, url: entry.article.url, verdict: .included(section: section.path, topStory: false)))
                }
            }
        }
        return Digest(
            list: list, subscriber: subscriber, window: pool.window, topStories: topEntries, sections: sections,
            tagIndex: Self.tagIndex(topEntries + sections.flatMap(\.entries)), decisions: decisions)
    }

    /// A one-off digest straight from articles: builds a pool for this subscriber alone.
    public func build(
        list: SubscriberList, subscriber: Subscriber, subscription: Subscription, articles: [Article], window: DigestWindow,
        now: Date? = nil, explain: Bool = false
    ) -> Digest {
        let pool = CandidatePool(articles: articles, window: window, rules: list.rules, now: now ?? window.end)
        return build(pool: pool, list: list, subscriber: subscriber, subscription: subscription, explain: explain)
    }

    private func entry(_ pool: CandidatePool, _ item: (index: Int, importance: Int), depth: Int) -> DigestEntry {
        let story = pool.stories[item.index]
        let primary = story.article.section.truncated(toDepth: depth)
        // Other sections are cross-references unless they are where the story already is.
        let others = story.sections.dropFirst().filter { other in
            other.truncated(toDepth: depth) != primary && !other.contains(story.article.section) && !primary.contains(other)
        }
        return DigestEntry(article: story.article, alsoIn: Array(others), sources: story.sources, tags: story.tags, importance: item.importance)
    }

    /// Configured order first (a section matches an entry of `order` that contains it or that
    /// it contains), then larger sections, then by name; "Other news" always last.
    private func sectionPrecedes(_ a: DigestSection, _ b: DigestSection, order: [SectionPath]) -> Bool {
        if a.path.isEmpty != b.path.isEmpty { return b.path.isEmpty }
        func position(_ path: SectionPath) -> Int {
            order.firstIndex { $0.contains(path) || path.contains($0) } ?? Int.max
        }
        let (pa, pb) = (position(a.path), position(b.path))
        if pa != pb { return pa < pb }
        if a.entries.count != b.entries.count { return a.entries.count > b.entries.count }
        return a.path < b.path
    }

    /// Tags with the articles carrying them, most frequent first, then alphabetical.
    static func tagIndex(_ entries: [DigestEntry]) -> [TagCount] {
        var index: [String: TagCount] = [:]
        var order: [String] = []
        for entry in entries {
            var seen = Set<String>()
            for tag in entry.tags where seen.insert(tag.lowercased()).inserted {
                let key = tag.lowercased()
                if index[key] == nil {
                    index[key] = TagCount(tag: tag, count: 0)
                    order.append(key)
                }
                index[key]?.count += 1
                index[key]?.articleURLs.append(entry.article.url)
            }
        }
        return order.compactMap { index[$0] }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.tag < $1.tag }
    }
}
