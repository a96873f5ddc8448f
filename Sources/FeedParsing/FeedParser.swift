import Foundation

/// Turns feed bytes into a `ParsedFeed`, whatever the format. Pure: no I/O, no clock.
///
/// ```swift
/// let feed = try FeedParser.parse(data, baseURL: "https://www.israelhayom.com/feed/")
/// ```
public enum FeedParser {
    /// Parses RSS (0.9x, 1.0/RDF, 2.0) or Atom (0.3, 1.0), telling them apart by the root element.
    /// - Parameter baseURL: the URL the document came from; relative links resolve against it.
    public static func parse(_ data: Data, baseURL: String? = nil) throws(FeedParseError) -> ParsedFeed {
        let tree = try XMLTree.parseXML(data, baseURL: baseURL)
        guard let root = tree.root else { throw .empty }
        switch root.name.lowercased() {
        case "rss":
            return RSSParser.parse(channelOf: root, format: .rss, baseURL: baseURL)
        case "rdf":
            return RSSParser.parse(channelOf: root, format: .rdf, baseURL: baseURL)
        case "feed":
            return AtomParser.parse(root, baseURL: baseURL)
        default:
            throw .unrecognizedFormat(rootElement: root.name)
        }
    }
}

/// Resolves a possibly relative link against a base URL; keeps the link as written if either is unusable.
func resolve(_ link: String?, against base: String?) -> String? {
    guard let link = link?.trimmingCharacters(in: .whitespacesAndNewlines), !link.isEmpty else { return nil }
    if let base, let url = URL(string: link, relativeTo: URL(string: base)), url.scheme != nil {
        return url.absoluteString
    }
    return link
}

/// Collapses runs of whitespace (feeds indent titles and names) into single spaces.
func collapsingWhitespace(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
}
