import GazetteModel

/// What one subscriber follows and mutes, resolved against the list's presets and mutes and
/// turned into the pool's integer ids.
struct Preferences {
    let wholeList: Bool
    let sectionIDs: [Int32]
    let tagIDs: Set<Int32>
    let mutedSectionIDs: Set<Int32>
    let mutedTagIDs: Set<Int32>
    let hasMutes: Bool

    init(subscription: Subscription, rules: DigestRules, pool: CandidatePool) {
        let ownChoice = !subscription.sections.isEmpty || !subscription.tags.isEmpty
        let sections = ownChoice ? subscription.sections : rules.presetSections
        let tags = ownChoice ? subscription.tags : rules.presetTags
        wholeList = sections.isEmpty && tags.isEmpty
        // Names the pool has never seen match nothing, and are simply dropped.
        sectionIDs = sections.compactMap { pool.sectionKeyIDs[CandidatePool.key($0)] }
        tagIDs = Set(tags.compactMap { pool.tagIDs[$0.lowercased()] })
        mutedSectionIDs = Set((rules.mutedSections + subscription.mutedSections).compactMap { pool.sectionKeyIDs[CandidatePool.key($0)] })
        mutedTagIDs = Set((rules.mutedTags + subscription.mutedTags).compactMap { pool.tagIDs[$0.lowercased()] })
        hasMutes = !mutedSectionIDs.isEmpty || !mutedTagIDs.isEmpty
    }

    /// The stories followed, most important first (followed tags raise a story), each once;
    /// nil for the whole list, which is the pool's own `rankOrder`.
    func candidates(in pool: CandidatePool) -> [(index: Int, importance: Int)]? {
        if wholeList { return nil }
        var picked = [Bool](repeating: false, count: pool.stories.count)
        for id in sectionIDs { for index in pool.sectionPostings[Int(id)] { picked[index] = true } }
        for id in tagIDs { for index in pool.tagPostings[Int(id)] { picked[index] = true } }
        if tagIDs.isEmpty {
            // No tag raises any story: the pool's order already is the order.
            return pool.rankOrder.compactMap { picked[$0] ? ($0, pool.baseImportance[$0]) : nil }
        }
        var chosen: [(index: Int, importance: Int)] = []
        for index in picked.indices where picked[index] {
            chosen.append((index, pool.baseImportance[index] + followedTagCount(index, pool: pool)))
        }
        chosen.sort { a, b in
            a.importance != b.importance ? a.importance > b.importance : pool.rankPosition[a.index] < pool.rankPosition[b.index]
        }
        return chosen
    }

    /// True when a muted section or tag covers the story. A mute wins over any follow.
    func isMuted(_ index: Int, pool: CandidatePool) -> Bool {
        hasMutes
            && (pool.tagIDsOf[index].contains(where: mutedTagIDs.contains)
                || pool.sectionIDsOf[index].contains(where: mutedSectionIDs.contains))
    }

    /// Why the story is muted, or nil; for `--explain`.
    func muteReason(_ index: Int, pool: CandidatePool) -> String? {
        guard hasMutes else { return nil }
        if let id = pool.tagIDsOf[index].first(where: mutedTagIDs.contains) {
            return "tag \(pool.tagNames[Int(id)]) is muted"
        }
        if pool.sectionIDsOf[index].contains(where: mutedSectionIDs.contains) {
            for section in pool.stories[index].sections where !section.isEmpty {
                for depth in 1...section.components.count {
                    let prefix = section.truncated(toDepth: depth)
                    if let id = pool.sectionKeyIDs[CandidatePool.key(prefix)], mutedSectionIDs.contains(id) {
                        return "section \(prefix) is muted"
                    }
                }
            }
        }
        return nil
    }

    /// Which follow brought the story in, for `--explain`: "follows #Turkey", "follows News >
    /// Middle East", or the whole list.
    func followReason(_ index: Int, pool: CandidatePool) -> String {
        if wholeList { return "follows the whole list" }
        if let id = pool.tagIDsOf[index].first(where: tagIDs.contains) { return "follows #\(pool.tagNames[Int(id)])" }
        let followed = Set(sectionIDs)
        for section in pool.stories[index].sections where !section.isEmpty {
            for depth in 1...section.components.count {
                let prefix = section.truncated(toDepth: depth)
                if let id = pool.sectionKeyIDs[CandidatePool.key(prefix)], followed.contains(id) { return "follows \(prefix)" }
            }
        }
        return "follows the list's choice"
    }

    func followedTagCount(_ index: Int, pool: CandidatePool) -> Int {
        tagIDs.isEmpty ? 0 : pool.tagIDsOf[index].reduce(0) { $0 + (tagIDs.contains($1) ? 1 : 0) }
    }
}
