import FeedParsing
import Foundation
import GazetteModel

/// `FeedParser.parse` on any bytes: a feed or a `FeedParseError`, never a crash; text
/// fields without control or bidi-override characters; sanitized HTML that passes
/// `SanitizedHTMLCheck`; item links that are nil, absolute, or the text as written; and
/// articles made only from http(s) links.
public enum FeedParserCheck: FuzzCheck {
    public static let name = "FeedParser"
    static let baseURL = "https://example.org/news/feed/"
    /// The declared type varies with the input's length, so the corpus exercises charset
    /// overrides and JSON sniffing without spending input bytes on them.
    static let contentTypes: [String?] = [
        nil, "application/rss+xml; charset=windows-1255", "application/feed+json", "text/xml; charset=utf-16",
        "application/atom+xml; charset=iso-8859-1",
    ]

    public static func violations(_ data: Data) -> [String] {
        let contentType = contentTypes[data.count % contentTypes.count]
        let feed: ParsedFeed
        do {
            feed = try FeedParser.parse(data, baseURL: baseURL, contentType: contentType)
        } catch {
            return error.description.isEmpty ? ["an error with an empty description"] : []
        }
        var problems: [String] = []
        func text(_ value: String?, _ field: String) {
            guard let value, let bad = TextChecks.forbiddenScalar(in: value) else { return }
            problems.append("\(field) holds \(TextChecks.describe(bad)): \(TextChecks.excerpt(value))")
        }
        text(feed.title, "feed title")
        text(feed.subtitle, "feed subtitle")
        feed.authors.forEach { text($0, "feed author") }
        for (number, item) in feed.items.enumerated() {
            let label = "item \(number + 1)"
            text(item.title, "\(label) title")
            text(item.summary, "\(label) summary")
            item.authors.forEach { text($0, "\(label) author") }
            item.categories.forEach { text($0.term, "\(label) category") }
            for (field, html) in [("summaryHTML", item.summaryHTML), ("contentHTML", item.contentHTML)] {
                if let html { problems += SanitizedHTMLCheck.violations(html, field: "\(label) \(field)") }
            }
            if let link = item.link {
                // Resolution keeps a link it cannot make absolute as written, so the only
                // promise is a non-empty value without spaces or controls (those get
                // percent-encoded).
                if link.isEmpty || link.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
                    problems.append("\(label) link is empty or holds spaces or controls: \(TextChecks.excerpt(link))")
                }
            }
        }
        for article in feed.articles(sourceName: "fuzz", seenAt: Date(timeIntervalSince1970: 0), feedURL: baseURL) {
            let scheme = URL(string: article.url)?.scheme?.lowercased()
            if scheme != "http" && scheme != "https" {
                problems.append("an article with a non-web URL: \(TextChecks.excerpt(article.url))")
            }
            text(article.title, "article title")
        }
        return problems
    }
}
