import GazetteModel

/// What one subscriber follows and mutes, resolved against the list's presets and mutes.
struct Preferences {
    let wholeList: Bool
    let sectionKeys: [String]
    let tagKeys: Set<String>
    let mutedSectionKeys: Set<String>
    let mutedTagKeys: Set<String>

    init(subscription: Subscription, rules: DigestRules) {
        let ownChoice = !subscription.sections.isEmpty || !subscription.tags.isEmpty
        let sections = ownChoice ? subscription.sections : rules.presetSections
        let tags = ownChoice ? subscription.tags : rules.presetTags
        wholeList = sections.isEmpty && tags.isEmpty
        sectionKeys = sections.map(CandidatePool.key)
        tagKeys = Set(tags.map { $0.lowercased() })
        mutedSectionKeys = Set((rules.mutedSections + subscription.mutedSections).map(CandidatePool.key))
        mutedTagKeys = Set((rules.mutedTags + subscription.mutedTags).map { $0.lowercased() })
    }

    /// The stories followed, in pool order, each once.
    func candidates(in pool: CandidatePool) -> [Int] {
        if wholeList { return Array(pool.stories.indices) }
        var picked = [Bool](repeating: false, count: pool.stories.count)
        for key in sectionKeys { for index in pool.sectionPostings[key] ?? [] { picked[index] = true } }
        for key in tagKeys { for index in pool.tagPostings[key] ?? [] { picked[index] = true } }
        return picked.indices.filter { picked[$0] }
    }

    /// Why the story is muted, or nil. A mute wins over any follow.
    func muteReason(_ story: CandidatePool.Story) -> String? {
        if !mutedTagKeys.isEmpty, let tag = story.tags.first(where: { mutedTagKeys.contains($0.lowercased()) }) {
            return "tag \(tag) is muted"
        }
        guard !mutedSectionKeys.isEmpty else { return nil }
        for section in story.sections where !section.isEmpty {
            for depth in 1...section.components.count where mutedSectionKeys.contains(CandidatePool.key(section.truncated(toDepth: depth))) {
                return "section \(section.truncated(toDepth: depth)) is muted"
            }
        }
        return nil
    }

    func followedTagCount(_ story: CandidatePool.Story) -> Int {
        tagKeys.isEmpty ? 0 : story.tagKeys.reduce(0) { $0 + (tagKeys.contains($1) ? 1 : 0) }
    }
}
