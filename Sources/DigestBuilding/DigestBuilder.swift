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
        let preferences = Preferences(subscription: subscription, rules: rules, pool: pool)
        var decisions = explain ? pool.commonDecisions : []
        func note(_ index: Int, _ verdict: DigestDecision.Verdict) {
            let article = pool.stories[index].article
            if explain { decisions.append(DigestDecision(title: article.title, url: article.url, verdict: verdict)) }
        }

        // 1. Select, most important first: what the subscriber follows, less what is muted;
        //    then cap the whole digest, counting what the cap leaves out per section.
        var kept: [(index: Int, importance: Int)] = []
        var cappedPerGroup = [Int](repeating: 0, count: pool.groups.count)
        let limit = rules.maxArticles ?? Int.max
        var considered = explain ? [Bool](repeating: false, count: pool.stories.count) : []
        let followed = preferences.candidates(in: pool)
        if followed == nil, !preferences.hasMutes, !explain {
            // The whole list, nothing muted: the first `limit` in rank order, and per group
            // whatever is left over. No need to look at every story.
            var keptPerGroup = [Int](repeating: 0, count: pool.groups.count)
            for index in pool.rankOrder.prefix(limit) {
                kept.append((index, pool.baseImportance[index]))
                keptPerGroup[pool.groupOf[index]] += 1
            }
            for group in pool.groups.indices { cappedPerGroup[group] = pool.groupSizes[group] - keptPerGroup[group] }
        } else {
            func consider(_ index: Int, _ importance: Int) {
                if explain { considered[index] = true }
                if preferences.isMuted(index, pool: pool) {
                    if explain { note(index, .muted(preferences.muteReason(index, pool: pool) ?? "muted")) }
                } else if kept.count < limit {
                    kept.append((index, importance))
                } else {
                    cappedPerGroup[pool.groupOf[index]] += 1
                    note(index, .capped("at most \(limit) articles in a digest"))
                }
            }
            if let followed {
                for candidate in followed { consider(candidate.index, candidate.importance) }
            } else {
                for index in pool.rankOrder { consider(index, pool.baseImportance[index]) }
            }
        }
        if explain {
            for index in pool.stories.indices where !considered[index] { note(index, .notFollowed) }
        }

        // 2. Top stories: carried by several feeds, or matching several followed tags.
        var top: [(index: Int, importance: Int)] = []
        if rules.topStories > 0 {
            for item in kept where top.count < rules.topStories {
                if pool.sourceCount[item.index] > 1 || preferences.followedTagCount(item.index, pool: pool) > 1 { top.append(item) }
            }
        }
        let lifted = Set(top.map(\.index))

        // 3. Group by primary section (kept order is rank order), cap each section, order them.
        var grouped = [[(index: Int, importance: Int)]](repeating: [], count: pool.groups.count)
        for item in kept where !lifted.contains(item.index) { grouped[pool.groupOf[item.index]].append(item) }
        var built: [(section: DigestSection, stories: [Int])] = []
        for (group, items) in grouped.enumerated() where !items.isEmpty || cappedPerGroup[group] > 0 {
            let path = pool.groups[group]
            var more = cappedPerGroup[group]
            var shown = items
            if let perSection = rules.maxPerSection, shown.count > perSection {
                for item in shown[perSection...] {
                    note(item.index, .capped("at most \(perSection) in \(path.isEmpty ? "Other news" : path.description)"))
                }
                more += shown.count - perSection
                shown.removeLast(shown.count - perSection)
            }
            let section = DigestSection(path: path, entries: shown.map { entry(pool, $0, depth: rules.sectionDepth) }, moreCount: more)
            built.append((section, shown.map(\.index)))
        }
        built.sort { sectionPrecedes($0.section, $1.section, order: rules.sectionOrder) }
        let sections = built.map(\.section)

        let topEntries = top.map { entry(pool, $0, depth: rules.sectionDepth) }
        if explain {
            for item in top {
                let article = pool.stories[item.index].article
                decisions.append(DigestDecision(
                    title: article.title, url: article.url, verdict: .included(section: article.section, topStory: true),
                    reason: preferences.followReason(item.index, pool: pool)))
            }
            for (section, stories) in built {
                for index in stories {
                    let article = pool.stories[index].article
                    decisions.append(DigestDecision(
                        title: article.title, url: article.url, verdict: .included(section: section.path, topStory: false),
                        reason: preferences.followReason(index, pool: pool)))
                }
            }
        }
        let ordered = top.map(\.index) + built.flatMap(\.stories)
        return Digest(
            list: list, subscriber: subscriber, window: pool.window, topStories: topEntries, sections: sections,
            tagIndex: Self.tagIndex(ordered, pool: pool), decisions: decisions)
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

    /// Tags with the articles carrying them, most frequent first, then alphabetical; from the
    /// pool's interned tags, for stories in reading order.
    static func tagIndex(_ stories: [Int], pool: CandidatePool) -> [TagCount] {
        var position: [Int32: Int] = [:]
        var counts: [TagCount] = []
        for story in stories {
            for id in pool.tagIDsOf[story] {
                if position[id] == nil {
                    position[id] = counts.count
                    counts.append(TagCount(tag: pool.tagNames[Int(id)], count: 0))
                }
                let slot = position[id] ?? 0
                counts[slot].count += 1
                counts[slot].articleURLs.append(pool.stories[story].article.url)
            }
        }
        return counts.sorted { $0.count != $1.count ? $0.count > $1.count : $0.tag < $1.tag }
    }

    /// Tags with the articles carrying them, most frequent first, then alphabetical.
    public static func tagIndex(_ entries: [DigestEntry]) -> [TagCount] {
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
