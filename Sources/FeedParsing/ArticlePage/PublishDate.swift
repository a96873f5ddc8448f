import Foundation

/// The publish time of a page, from every place sites put it, most trusted first.
///
/// Machine-readable metadata written for search engines and social networks comes first
/// (JSON-LD, `article:published_time`, the analytics tags of Parse.ly and Sailthru, Dublin
/// Core), then markup (`itemprop`, `<time>`), then the date in the URL, then the date shown
/// to readers near the byline or under the headline. A source whose value cannot be read
/// gives way to the next; a date before 1990 or after 2100 is ignored as template noise.
enum PublishDate {
    /// Meta names, after `article:published_time`, that carry the publish time.
    static let metaNames = [
        "og:published_time", "datepublished", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date",
        "dcterms.date", "dcterms.created", "dc.date.created", "pubdate", "publishdate", "publish-date", "publish_date",
        "publication_date",
        "article.published", "article:published", "og:pubdate", "originalpublicationdate", "citation_publication_date",
        "citation_date", "cxenseparse:recs:publishtime", "date", "sailthru.date.published", "timestamp", "created",
    ]

    struct Candidate {
        var source: String
        var value: String?
        /// Whether the value is free text (read by `TextDate`) rather than a timestamp.
        var visible = false
    }

    /// The candidates in the order they are trusted.
    static func candidates(page: PageMarkup, ld: JSONLD, article: [String: Any]?, url: String) -> [Candidate] {
        var list: [Candidate] = []
        let ldNodes = ld.nodes.filter { !JSONLD.types(of: $0).isDisjoint(with: JSONLD.articleTypes) }
        list.append(Candidate(source: "JSON-LD datePublished", value: ld.string(article?["datePublished"])))
        list += ldNodes.map { Candidate(source: "JSON-LD datePublished", value: ld.string($0["datePublished"])) }
        list.append(Candidate(source: "article:published_time", value: page.first("article:published_time")))
        list += metaNames.map { Candidate(source: $0, value: page.first($0)) }
        list.append(Candidate(source: "parsely-page", value: parselyPage(page.first("parsely-page"))))
        list += page.itempropPublished.map { Candidate(source: "itemprop=datePublished", value: $0) }
        list += page.times.filter(\.published).map { Candidate(source: "<time>", value: $0.datetime) }
        list += ld.nodes.map { Candidate(source: "JSON-LD datePublished", value: ld.string($0["datePublished"])) }
        list.append(Candidate(source: "URL", value: urlDate(url)))
        list += page.times.filter { !$0.published }.prefix(1).map { Candidate(source: "<time>", value: $0.datetime) }
        list += page.dateTexts.filter { !$0.updated }.map { Candidate(source: "visible text", value: $0.text, visible: true) }
        list += page.dateTexts.filter(\.updated).map { Candidate(source: "visible text", value: $0.text, visible: true) }
        list.append(Candidate(source: "visible text", value: page.visibleText, visible: true))
        list += page.dateTextsAboveHeading.map { Candidate(source: "visible text", value: $0.text, visible: true) }
        return list
    }

    /// The first candidate that reads as a plausible date, with the UTC offset it was written in.
    static func find(
        page: PageMarkup, ld: JSONLD, article: [String: Any]?, url: String, language: String?, warnings: inout [String]
    ) -> (date: Date, offset: Int?)? {
        for candidate in candidates(page: page, ld: ld, article: article, url: url) {
            guard let value = candidate.value, !value.isEmpty else { continue }
            if candidate.visible {
                if let date = TextDate.parse(value, language: language) { return (date, nil) }
                continue
            }
            if let date = FeedDate.parse(value) ?? TextDate.parseValue(value, language: language), TextDate.plausible(date) {
                return (date, offset(in: value))
            }
            warnings.append("unreadable date '\(value.prefix(60))' in \(candidate.source)")
        }
        return nil
    }

    private static let offsetPattern = try! NSRegularExpression(
        pattern: "\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?\\s*([+-])(\\d{2}):?(\\d{2})\\s*$")

    /// The offset at the end of an ISO 8601 time ("…T01:00:00+03:00", "+0300"), in seconds east.
    static func offset(in value: String) -> Int? {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let match = offsetPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        let parts = (1...3).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
        guard parts.count == 3, let hours = Int(parts[1]), let minutes = Int(parts[2]), hours <= 14, minutes < 60 else {
            return nil
        }
        return (parts[0] == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// Parse.ly's `parsely-page` meta holds JSON with a `pub_date`.
    private static func parselyPage(_ json: String?) -> String? {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return nil
        }
        return object["pub_date"] as? String
    }

    private static let urlPattern = try! NSRegularExpression(
        pattern: "/((?:19|20)\\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\\d|3[01])(?:[/_-]|\\.html?|$)")

    /// "/2019/05/22/", "/2019-05-22-", "/20190522/" in the URL's path, as "2019-05-22".
    static func urlDate(_ url: String) -> String? {
        guard let path = URLComponents(string: url)?.path else { return nil }
        let range = NSRange(path.startIndex..., in: path)
        guard let match = urlPattern.firstMatch(in: path, range: range) else { return nil }
        let parts = (1...3).compactMap { Range(match.range(at: $0), in: path).map { String(path[$0]) } }
        return parts.count == 3 ? parts.joined(separator: "-") : nil
    }
}
