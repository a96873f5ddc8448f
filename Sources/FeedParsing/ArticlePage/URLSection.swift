import Foundation

/// The section path a URL spells: `/news/middle-east/2019/05/22/slug` → News > Middle East.
///
/// The last resort for a page with no breadcrumb or section metadata: the folders before
/// the date or the article's own name, words capitalized, with folders that name a kind
/// of page ("article", "story", "amp") or a language ("en", "fr") left out.
enum URLSection {
    static let notSections: Set<String> = [
        "article", "articles", "story", "stories", "post", "posts", "p", "a", "amp", "index", "content", "item", "items", "node",
        "doc", "docs", "view", "detail", "details", "read", "www", "html", "web", "live", "entry", "id", "s", "en", "fr", "de",
        "es",
        "it", "he", "nl", "pt", "ar", "ru", "pl", "sv", "da", "no", "uk", "us", "en-us", "en-gb", "intl", "edition", "page",
        "pages",
    ]

    static func path(_ url: String) -> [String] {
        guard let path = URLComponents(string: url)?.path else { return [] }
        var folders = path.split(separator: "/").map(String.init)
        guard folders.count >= 2 else { return [] }
        folders.removeLast()  // the article itself
        var sections: [String] = []
        for folder in folders {
            let lowered = folder.lowercased()
            if lowered.first?.isNumber == true { break }  // a date or an id: the article's own part begins
            if notSections.contains(lowered) { continue }
            // A long hyphenated folder is a slug, not a section.
            guard folder.count <= 30, folder.filter({ $0 == "-" }).count <= 2, !lowered.contains(".") else { break }
            let words = (folder.removingPercentEncoding ?? folder).split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "+" })
            sections.append(words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " "))
        }
        return Array(sections.prefix(3))
    }
}
