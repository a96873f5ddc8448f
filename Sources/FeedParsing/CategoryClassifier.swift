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
            if scheme.contains("tag") || scheme.contains("keyword") {
                tags.append(term)
            } else if scheme.contains("categor") || scheme.contains("section") || SectionPath(parsing: term).components.count > 1 {
                sections.append(SectionPath(parsing: term))
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

    /// Drops repeated tags (case-insensitive), keeping the first spelling.
    static func uniqued(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        return tags.filter { seen.insert($0.lowercased()).inserted }
    }
}
