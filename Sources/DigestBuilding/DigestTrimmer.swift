import GazetteModel

/// Makes a digest smaller, one step at a time, to fit the HTML size budget: shorter
/// summaries, then none, then no images, then the least important articles go.
public enum DigestTrimmer {
    /// The digest after trimming step `step` (1, 2, …), or nil when nothing is left to trim.
    public static func trim(_ digest: Digest, step: Int) -> Digest? {
        var digest = digest
        switch step {
        case 1:
            digest.mapArticles { $0.summary = shortened($0.summary, to: 140) }
        case 2:
            digest.mapArticles { $0.summary = "" }
        case 3:
            digest.mapArticles { $0.imageURL = nil }
        default:
            // Drop about a fifth of the section articles, least important first.
            let ranked = digest.sections.enumerated().flatMap { sectionIndex, section in
                section.entries.enumerated().map { (sectionIndex, $0.offset, $0.element) }
            }
            guard !ranked.isEmpty else { return nil }
            let drop = ranked.sorted {
                ($0.2.importance, $0.2.article.displayTime) < ($1.2.importance, $1.2.article.displayTime)
            }.prefix(max(1, ranked.count / 5))
            for (sectionIndex, entryIndex, entry) in drop.sorted(by: { ($0.0, $0.1) > ($1.0, $1.1) }) {
                digest.sections[sectionIndex].entries.remove(at: entryIndex)
                digest.sections[sectionIndex].moreCount += 1
                digest.decisions.removeAll { $0.url == entry.article.url }
                digest.decisions.append(DigestDecision(title: entry.article.title, url: entry.article.url, verdict: .capped("to keep the email under the size budget")))
            }
            digest.sections.removeAll { $0.entries.isEmpty && $0.moreCount == 0 }
            digest.tagIndex = DigestBuilder.tagIndex(digest.entries)
        }
        return digest
    }

    private static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let cut = text.prefix(limit - 1)
        return (cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut) + "…"
    }
}

extension Digest {
    mutating func mapArticles(_ change: (inout Article) -> Void) {
        for index in topStories.indices { change(&topStories[index].article) }
        for section in sections.indices {
            for entry in sections[section].entries.indices { change(&sections[section].entries[entry].article) }
        }
    }
}
