import GazetteModel

/// Makes a digest small enough for the HTML size budget in one pass, from each entry's
/// rendered cost: shorter summaries everywhere, then none, then no images, then the least
/// important section articles go, counted in their section's "and N more".
///
/// Rendering a large digest after every removal made a 4,000-article day cost about 0.4 s
/// of CPU per subscriber; here the digest is measured once, the costs come from the caller
/// (who renders each entry once per edition), and the caller renders only the result.
public enum DigestTrimmer {
    /// What is taken from every article, each level including the ones before it.
    public enum Level: Int, Sendable, Hashable, CaseIterable, Comparable {
        case full
        case shortSummaries
        case noSummaries
        case noImages

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// What the trimmer needs to know about the rendering, in bytes of the HTML as sent
    /// (transfer-encoded), the unit of `size` and `budget`.
    public struct Costs {
        /// The bytes one entry, exactly as given, adds to the HTML.
        public var entry: (DigestEntry) -> Int
        /// The bytes a section's "and N more" line adds when a section first gets one.
        public var moreLine: Int

        public init(entry: @escaping (DigestEntry) -> Int, moreLine: Int) {
            self.entry = entry
            self.moreLine = moreLine
        }
    }

    /// The entry as it shows at `level`.
    public static func trimmed(_ entry: DigestEntry, to level: Level) -> DigestEntry {
        var entry = entry
        switch level {
        case .full: break
        case .shortSummaries: entry.article.summary = shortened(entry.article.summary, to: 140)
        case .noSummaries: entry.article.summary = ""
        case .noImages:
            entry.article.summary = ""
            entry.article.imageURL = nil
        }
        return entry
    }

    /// Every entry of the digest as it shows at `level`.
    public static func trimmed(_ digest: Digest, to level: Level) -> Digest {
        guard level > .full else { return digest }
        var digest = digest
        for index in digest.topStories.indices { digest.topStories[index] = trimmed(digest.topStories[index], to: level) }
        for section in digest.sections.indices {
            for entry in digest.sections[section].entries.indices {
                digest.sections[section].entries[entry] = trimmed(digest.sections[section].entries[entry], to: level)
            }
        }
        return digest
    }

    /// A smaller digest whose HTML should fit `budget`, or nil when nothing is left to trim.
    ///
    /// - Parameters:
    ///   - digest: the digest as last rendered, already trimmed to `level`.
    ///   - size: the HTML bytes of that rendering (over `budget`).
    /// - Returns: the lowest level whose estimated size fits; past the last level, the least
    ///   important section articles (oldest first among equals) are dropped until the estimate
    ///   fits. Estimates leave out what removal saves besides the entries themselves (section
    ///   headings, shorter numbers), so the caller renders the result and, if it is still over,
    ///   asks again: each call takes at least one level or one article more.
    public static func fit(_ digest: Digest, level: Level, size: Int, budget: Int, costs: Costs) -> (digest: Digest, level: Level)? {
        guard size > budget else { return nil }
        let entries = digest.entries
        let current = entries.map(costs.entry)
        var savings = 0
        for next in Level.allCases where next > level {
            savings = zip(entries, current).reduce(0) { $0 + $1.1 - costs.entry(trimmed($1.0, to: next)) }
            if next == .noImages || size - savings <= budget { return fitted(digest, from: level, to: next, size: size - savings, budget: budget, costs: costs) }
        }
        return fitted(digest, from: level, to: level, size: size, budget: budget, costs: costs)
    }

    /// The digest at `level`, less as many section articles as an estimated `size` over `budget` needs.
    private static func fitted(_ digest: Digest, from start: Level, to level: Level, size: Int, budget: Int, costs: Costs) -> (digest: Digest, level: Level)? {
        var digest = trimmed(digest, to: level)
        var estimate = size
        let ranked = digest.sections.enumerated().flatMap { sectionIndex, section in
            section.entries.enumerated().map { (section: sectionIndex, entry: $0.offset, value: $0.element) }
        }
        .sorted { ($0.value.importance, $0.value.article.displayTime) < ($1.value.importance, $1.value.article.displayTime) }
        var dropped: [(section: Int, entry: Int, value: DigestEntry)] = []
        var gainsMoreLine = Set<Int>()
        for candidate in ranked where estimate > budget {
            estimate -= costs.entry(candidate.value)
            if digest.sections[candidate.section].moreCount == 0, gainsMoreLine.insert(candidate.section).inserted {
                estimate += costs.moreLine
            }
            dropped.append(candidate)
        }
        guard level > start || !dropped.isEmpty else { return nil }
        guard !dropped.isEmpty else { return (digest, level) }
        for candidate in dropped.sorted(by: { ($0.section, $0.entry) > ($1.section, $1.entry) }) {
            digest.sections[candidate.section].entries.remove(at: candidate.entry)
            digest.sections[candidate.section].moreCount += 1
            let article = candidate.value.article
            digest.decisions.removeAll { $0.url == article.url }
            digest.decisions.append(
                DigestDecision(title: article.title, url: article.url, verdict: .capped("to keep the email under the size budget")))
        }
        digest.sections.removeAll { $0.entries.isEmpty && $0.moreCount == 0 }
        digest.tagIndex = DigestBuilder.tagIndex(digest.entries)
        return (digest, level)
    }

    private static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let cut = text.prefix(limit - 1)
        return (cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut) + "…"
    }
}
