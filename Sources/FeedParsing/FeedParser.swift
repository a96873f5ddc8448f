import Foundation
import GazetteModel

/// Turns feed bytes into a `ParsedFeed`, whatever the format. Pure: no I/O, no clock.
///
/// ```swift
/// let feed = try FeedParser.parse(data, baseURL: "https://www.israelhayom.com/feed/",
///                                 contentType: "application/rss+xml; charset=windows-1255")
/// ```
public enum FeedParser {
    /// Parses RSS (0.90, 0.9x, 1.0/RDF, 2.0), Atom (0.3, 1.0) or JSON Feed (1.0, 1.1).
    ///
    /// - Parameters:
    ///   - baseURL: the URL the document came from (after redirects); relative links
    ///     resolve against it unless the document says otherwise (`xml:base`).
    ///   - contentType: the HTTP `Content-Type`, whose `charset` decides the encoding unless
    ///     the document starts with a byte-order mark.
    public static func parse(_ data: Data, baseURL: String? = nil, contentType: String? = nil) throws(FeedParseError)
        -> ParsedFeed
    {
        guard data.contains(where: { !FeedEncoding.isWhitespace($0) }) else { throw .empty }
        if FeedEncoding.looksLikeJSON(data, contentType: contentType) {
            return try JSONFeedParser.parse(data, baseURL: baseURL)
        }
        var warnings: [String] = []
        let (encoding, validUTF8) = FeedEncoding.reading(of: data, contentType: contentType, warnings: &warnings)
        let tree = try parseXML(data, baseURL: baseURL, encoding: encoding, validUTF8: validUTF8, warnings: &warnings)
        guard let root = tree.root else { throw .empty }
        var feed: ParsedFeed
        switch root.name.lowercased() {
        case "rss":
            feed = RSSParser.parse(channelOf: root, format: RSSParser.format(ofRSS: root), baseURL: baseURL)
        case "rdf":
            let format: ParsedFeed.Format = root.children.contains { $0.namespace == Namespace.rss090 } ? .rss090 : .rss10
            feed = RSSParser.parse(channelOf: root, format: format, baseURL: baseURL)
        case "feed":
            feed = AtomParser.parse(root, baseURL: baseURL)
        default:
            throw .unrecognizedFormat(rootElement: root.name)
        }
        feed.warnings = warnings + feed.warnings + duplicateGUIDWarnings(feed.items)
        return feed
    }

    /// A well-formed document is parsed once. One that is not, or that uses entities it never
    /// declares, is first repaired (`HTMLEntityRepair`: HTML entities, bare `&`s), then read
    /// strictly or in libxml2's recovery mode; either way it is flagged in the warnings.
    private static func parseXML(_ data: Data, baseURL: String?, encoding: String?, validUTF8: Bool, warnings: inout [String])
        throws(FeedParseError) -> XMLTree
    {
        // A windows-1255 feed (no HTTP charset to say otherwise) converted by table, then
        // read as the UTF-8 it now is; what that does not accept is read as before.
        if encoding == nil, !validUTF8, let converted = Windows1255.utf8Document(data),
            let tree = XMLTree.parseStrictly(converted, baseURL: baseURL, validUTF8: true)
        {
            return tree
        }
        if let tree = XMLTree.parseStrictly(data, baseURL: baseURL, encoding: encoding, validUTF8: validUTF8) { return tree }
        var document = data
        if FeedEncoding.isASCIICompatible(data, encoding: encoding), let repair = HTMLEntityRepair.repair(data) {
            document = repair.data
            warnings.append(repair.warning)
        }
        let tree = try XMLTree.parseXML(document, baseURL: baseURL, encoding: encoding)
        if let recovered = tree.recoveredError { warnings.append("recovered from ill-formed XML: \(recovered)") }
        return tree
    }

    /// A feed whose items share guids has unusable guids; identity falls back to links.
    private static func duplicateGUIDWarnings(_ items: [FeedItem]) -> [String] {
        var seen = Set<String>()
        var duplicates = Set<String>()
        for guid in items.compactMap(\.guid) where !seen.insert(guid).inserted { duplicates.insert(guid) }
        return duplicates.sorted().map { "the guid '\($0)' is used by more than one item; those items are known by their links" }
    }
}

/// Resolves a possibly relative link against a base URL; keeps the link as written if either is unusable.
func resolve(_ link: String?, against base: String?) -> String? {
    guard let link = link.map(UntrustedText.trimmingWhitespace), !link.isEmpty else { return nil }
    // Most links are written in full: the same string `URL` would give back (`PlainWebURL`).
    if PlainWebURL.isPlain(link) { return link }
    if let joined = PlainWebURL.joiningAbsolutePath(link, to: base) { return joined }
    return resolveThroughURL(link, against: base)
}

/// `resolve` by way of Foundation's `URL`, for every link `PlainWebURL` does not vouch for.
func resolveThroughURL(_ link: String, against base: String?) -> String? {
    if let base, let url = URL(string: link, relativeTo: URL(string: base)), url.scheme != nil {
        return url.absoluteString
    }
    if let url = URL(string: link), url.scheme != nil { return link }
    // Not a URL Foundation accepts (spaces, non-ASCII): percent-encode what needs it and retry.
    let allowed = CharacterSet.urlFragmentAllowed.union(CharacterSet(charactersIn: "#%"))
    if let encoded = link.addingPercentEncoding(withAllowedCharacters: allowed), encoded != link {
        return resolveThroughURL(encoded, against: base)
    }
    return link
}

/// Collapses runs of whitespace (feeds indent titles and names) into single spaces, and
/// removes control and bidi-override characters (`UntrustedText`): every text field of a
/// feed or page passes through here.
func collapsingWhitespace(_ text: String) -> String {
    UntrustedText.clean(text)
}

/// A title as plain text: entities decoded (also when a feed escaped them twice) and any
/// markup removed, whitespace collapsed.
func plainTitle(_ text: String) -> String {
    // Foundation's `contains` (a `CFStringFind` per call, 5% of parsing) decides only for a
    // title that has one of the bytes: most have neither.
    guard HTMLText.mayHoldMarkup(text), text.contains("<") || text.contains("&") else { return collapsingWhitespace(text) }
    return HTMLText.plainText(fromHTML: text)
}

/// Reads a date, recording a warning (not dropping the item) when it cannot.
func parseDate(_ text: String?, field: String, item title: String, warnings: inout [String]) -> Date? {
    guard let text = text.map(UntrustedText.trimmingWhitespace), !text.isEmpty else { return nil }
    if let date = FeedDate.parse(text) { return date }
    warnings.append("'\(title.prefix(60))': unreadable \(field) '\(text.prefix(60))'; the time Gazette saw it is used instead")
    return nil
}
