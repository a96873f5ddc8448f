import GazetteModel

/// Splits a feed item's categories into one section path and a list of tags.
///
/// Feeds mix the two in one element. The rules, in order:
/// 1. a category whose domain/scheme names a tag ("post_tag", ".../tag") is a tag;
/// 2. one whose domain/scheme names a category or section, or whose text is a path
///    ("News > Middle East"), is a section candidate; the deepest candidate wins;
/// 3. with no candidate at all, the first category is the section and the rest are tags.
public enum CategoryClassifier {
    public static func classify(_ categories: [FeedCategory]) -> (section: SectionPath, tags: [String]) {
        var sections: [SectionPath] = []
        var tags: [String] = []
        var unknown: [String] = []
        for category in categories {
            let term = collapsingWhitespace(category.term)
            guard !term.isEmpty else { continue }
            let scheme = category.scheme?.lowercased() ?? ""
            let path = SectionPath(parsing: term)
            if has(scheme, "tag") || has(scheme, "keyword") {
                tags.append(term)
            } else if has(scheme, "categor") || has(scheme, "section") || path.components.count > 1 {
                sections.append(path)
            } else {
                unknown.append(term)
            }
        }
        if sections.isEmpty, let first = unknown.first {
            sections.append(SectionPath(parsing: first))
            unknown.removeFirst()
        }
        let section = sections.max { $0.components.count < $1.components.count } ?? .none
        // Other section candidates and unclassified categories still say what the article is about.
        let extra = sections.filter { $0 != section && !$0.contains(section) }.compactMap(\.leaf) + unknown
        return (section, uniqued(tags + extra))
    }

    /// `text.contains(word)` for an ASCII word, comparing UTF-8 bytes: the standard
    /// library's generic substring search was a tenth of a first fetch's time (perf).
    static func has(_ text: String, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard count > 0, text.utf8.count >= count else { return count == 0 }
        var text = text
        return text.withUTF8 { bytes in
            let pattern = UnsafeBufferPointer(start: word.utf8Start, count: count)
            for start in 0...(bytes.count - count) where bytes[start] == pattern[0] {
                if (1..<count).allSatisfy({ bytes[start + $0] == pattern[$0] }) { return true }
            }
            return false
        }
    }

    /// Drops repeated tags (case-insensitive), keeping the first spelling.
    static func uniqued(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        return tags.filter { seen.insert($0.lowercased()).inserted }
    }
}
