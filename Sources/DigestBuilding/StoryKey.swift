import Foundation

/// The keys under which two articles count as the same story.
enum StoryKey {
    /// Query parameters that track a click, not a page.
    private static let trackingParameters: Set<String> = [
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "fbclid", "gclid", "mc_cid", "mc_eid",
        "ref", "cmpid",
    ]

    /// The URL reduced to what identifies the page: no scheme or `www.`, no fragment, no
    /// tracking parameters, no trailing slash, host lowercased.
    static func canonicalURL(_ url: String) -> String {
        guard var components = URLComponents(string: url.trimmingCharacters(in: .whitespaces)), let host = components.host else {
            return url.lowercased()
        }
        components.fragment = nil
        components.queryItems = components.queryItems?
            .filter { !trackingParameters.contains($0.name.lowercased()) }
            .sorted { $0.name < $1.name }
        if components.queryItems?.isEmpty == true { components.queryItems = nil }
        var hostKey = host.lowercased()
        if hostKey.hasPrefix("www.") { hostKey.removeFirst(4) }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
        return hostKey + path + query
    }

    /// The title reduced to its words: case, punctuation, diacritics (Hebrew niqqud too) and
    /// spacing removed, and a trailing " | Site" or " - Site" dropped. Nil for titles too short
    /// to identify a story.
    static func titleKey(_ title: String) -> String? {
        var text = title
        for separator in [" | ", " – ", " — ", " - "] {
            if let range = text.range(of: separator, options: .backwards),
                text[range.upperBound...].split(separator: " ").count <= 3,
                text[..<range.lowerBound].split(separator: " ").count >= 4
            {
                text = String(text[..<range.lowerBound])
            }
        }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        let words = folded.unicodeScalars
            .map { CharacterSet.alphanumerics.contains($0) ? Character($0) : " " }
            .split(separator: " ")
        guard words.count >= 3 else { return nil }
        return words.map { String($0) }.joined(separator: " ")
    }
}
