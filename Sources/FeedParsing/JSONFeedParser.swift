import Foundation

/// JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/).
///
/// 1.1 renamed `author` to `authors` and added `language`; both spellings are read.
enum JSONFeedParser {
    /// Documents nested deeper than this are refused before Foundation's recursive parser sees them.
    static let maxDepth = 64

    static func parse(_ data: Data, baseURL: String?) throws(FeedParseError) -> ParsedFeed {
        guard nestingDepth(data) <= maxDepth else { throw .unsafeDocument(reason: "JSON nested more than \(maxDepth) levels deep") }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw .invalidJSON(reason: "the JSON does not parse (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "syntax error"))")
        }
        guard let feed = object as? [String: Any] else { throw .invalidJSON(reason: "the top level is not an object") }
        guard let version = feed["version"] as? String, version.contains("jsonfeed.org/version/") else {
            throw .invalidJSON(reason: "no \"version\" naming https://jsonfeed.org/version/1 or 1.1")
        }
        let format: ParsedFeed.Format = version.hasSuffix("/1") ? .json10 : .json11
        let feedBase = string(feed["feed_url"]).flatMap { resolve($0, against: baseURL) } ?? baseURL
        let language = string(feed["language"])
        let title = plainTitle(string(feed["title"]) ?? "")
        var warnings: [String] = []
        let items = (feed["items"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }.map {
            item($0, baseURL: feedBase, language: language, warnings: &warnings)
        }
        if feed["items"] != nil, !(feed["items"] is [Any]) { warnings.append("\"items\" is not an array; no items read") }
        return ParsedFeed(
            format: format,
            title: title,
            siteURL: resolve(string(feed["home_page_url"]), against: feedBase),
            subtitle: string(feed["description"]),
            language: language,
            authors: authors(feed),
            items: items,
            warnings: warnings
        )
    }

    private static func item(_ item: [String: Any], baseURL: String?, language: String?, warnings: inout [String]) -> FeedItem {
        let link = resolve(string(item["url"]) ?? string(item["external_url"]), against: baseURL)
        let title = plainTitle(string(item["title"]) ?? "")
        let label = title.isEmpty ? (link ?? "an item") : title
        let contentHTML = string(item["content_html"]).map { HTMLSanitizer.sanitize($0, baseURL: baseURL) }
            ?? string(item["content_text"]).map(paragraphs)
        let summaryText = string(item["summary"])
        let tags = (item["tags"] as? [Any] ?? []).compactMap { string($0) }
        let enclosures = (item["attachments"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }.compactMap { attachment -> FeedEnclosure? in
            guard let url = resolve(string(attachment["url"]), against: baseURL) else { return nil }
            return FeedEnclosure(url: url, type: string(attachment["mime_type"]), length: integer(attachment["size_in_bytes"]))
        }
        let id: String? = string(item["id"]) ?? integer(item["id"]).map(String.init)  // 1.0 feeds sometimes use numbers
        return FeedItem(
            guid: id,
            link: link,
            title: title,
            summary: HTMLText.truncate(collapsingWhitespace(summaryText ?? HTMLText.plainText(fromHTML: contentHTML ?? "")), to: 400),
            summaryHTML: summaryText.map(HTMLText.escape),
            contentHTML: contentHTML,
            authors: authors(item),
            publishedAt: parseDate(string(item["date_published"]), field: "date", item: label, warnings: &warnings),
            updatedAt: parseDate(string(item["date_modified"]), field: "modification date", item: label, warnings: &warnings),
            categories: tags.map { FeedCategory(term: $0, scheme: "tag") },
            enclosures: enclosures,
            imageURL: resolve(string(item["image"]) ?? string(item["banner_image"]), against: baseURL),
            language: string(item["language"]) ?? language
        )
    }

    private static func authors(_ object: [String: Any]) -> [String] {
        let list = (object["authors"] as? [Any]) ?? (object["author"].map { [$0] } ?? [])
        return list.compactMap { ($0 as? [String: Any]).flatMap { string($0["name"]) } }.map(collapsingWhitespace)
    }

    private static func string(_ value: Any?) -> String? {
        guard let text = value as? String else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func integer(_ value: Any?) -> Int? {
        if value is Bool { return nil }
        if let exact = value as? Int { return exact }
        guard let double = value as? Double, double.isFinite, abs(double) < 9e15, double == double.rounded() else { return nil }
        return Int(double)
    }

    /// Plain text as HTML paragraphs, one per blank-line-separated block.
    private static func paragraphs(_ text: String) -> String {
        text.components(separatedBy: "\n\n").map { "<p>" + HTMLText.escape($0.trimmingCharacters(in: .whitespacesAndNewlines)) + "</p>" }
            .joined()
    }

    /// The deepest nesting of `[`/`{` outside strings, counted in one pass over the bytes.
    static func nestingDepth(_ data: Data) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }
}
