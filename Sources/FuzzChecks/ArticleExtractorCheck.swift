import FeedParsing
import Foundation

/// `ArticleExtractor.extract` on any page and any site rules: never a crash; a direction
/// of ltr or rtl; every text field free of control and bidi-override characters; URLs
/// without spaces or controls.
///
/// Input layout: the page, then optionally, each after a 0xFF byte, the rules' section,
/// tags, author and date selectors and date format, so selector compilation (CSS to XPath,
/// handed to libxml2) is fuzzed together with the page it runs on.
public enum ArticleExtractorCheck: FuzzCheck {
    public static let name = "ArticleExtractor"
    static let url = "https://example.org/news/2026/11/26/story/"

    public static func violations(_ data: Data) -> [String] {
        let page = data.split(separator: 0xFF, maxSplits: 1, omittingEmptySubsequences: false)
        var rules: SiteRules?
        if page.count == 2 {
            let fields = FuzzInput.fields(Data(page[1]), count: 5).map { $0.isEmpty ? nil : $0 }
            rules = SiteRules(
                host: "example.org", section: fields[0], tags: fields[1], author: fields[2], date: fields[3],
                dateFormat: fields[4],
                timeZone: TimeZone(identifier: "Asia/Jerusalem"), sectionMap: ["Israel at War": "Israel"], dropSections: ["Home"])
        }
        let contentType = data.count.isMultiple(of: 2) ? "text/html; charset=windows-1255" : nil
        let metadata = ArticleExtractor.extract(Data(page[0]), url: url, contentType: contentType, rules: rules)

        var problems: [String] = []
        if metadata.direction != .ltr && metadata.direction != .rtl { problems.append("direction \(metadata.direction)") }
        func text(_ value: String?, _ field: String) {
            guard let value, let bad = TextChecks.forbiddenScalar(in: value) else { return }
            problems.append("\(field) holds \(TextChecks.describe(bad)): \(TextChecks.excerpt(value))")
        }
        func link(_ value: String?, _ field: String) {
            guard let value else { return }
            if value.isEmpty || value.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
                problems.append("\(field) is empty or holds spaces or controls: \(TextChecks.excerpt(value))")
            }
        }
        text(metadata.title, "title")
        text(metadata.summary, "summary")
        text(metadata.language, "language")
        text(metadata.siteName, "site name")
        metadata.authors.forEach { text($0, "author") }
        metadata.section.forEach { text($0, "section") }
        metadata.tags.forEach { text($0, "tag") }
        text(metadata.image?.caption, "image caption")
        text(metadata.image?.alt, "image alt")
        link(metadata.url, "url")
        link(metadata.image?.url, "image url")
        return problems
    }
}
