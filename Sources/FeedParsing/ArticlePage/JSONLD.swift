import Foundation

/// The JSON-LD blocks of a page, flattened into one list of nodes, in every shape sites
/// write them: one object, an array, a `@graph`, nodes that refer to each other by `@id`.
///
/// Only reads; values are looked up by key, with references resolved one level deep so a
/// cycle of `@id`s can never loop. Strings have their HTML entities decoded (Yoast writes
/// `&#8211;` inside JSON).
struct JSONLD {
    private(set) var nodes: [[String: Any]] = []
    private var byID: [String: [String: Any]] = [:]

    static let articleTypes: Set<String> = [
        "Article", "NewsArticle", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle",
        "BlogPosting", "LiveBlogPosting", "Report", "TechArticle", "SocialMediaPosting",
    ]

    init(scripts: [String], warnings: inout [String]) {
        for script in scripts {
            let text = Self.unwrap(script)
            guard !text.isEmpty else { continue }
            let data = Data(text.utf8)
            guard JSONFeedParser.nestingDepth(data) <= JSONFeedParser.maxDepth else {
                warnings.append("JSON-LD nested more than \(JSONFeedParser.maxDepth) levels deep; ignored")
                continue
            }
            // Sites put raw newlines and tabs inside strings (JSON forbids them, browsers shrug)
            // and numbers no double holds (a word count of 10^30); neither should cost the article.
            let object = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
                ?? (try? JSONSerialization.jsonObject(with: Data(Self.lenient(text).utf8), options: [.fragmentsAllowed]))
            guard let object else {
                warnings.append("a JSON-LD block is not valid JSON; ignored")
                continue
            }
            collect(object)
        }
    }

    private mutating func collect(_ value: Any) {
        if let array = value as? [Any] {
            for element in array { collect(element) }
        } else if let object = value as? [String: Any] {
            if let graph = object["@graph"] { collect(graph) }
            guard object["@type"] != nil else { return }
            nodes.append(object)
            if let id = object["@id"] as? String, byID[id] == nil { byID[id] = object }
        }
    }

    /// The text with raw newlines and tabs made spaces and out-of-range numbers made 0.
    static func lenient(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
        return spaced.replacing(/(?<lead>[:\[,]\s*)-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/) { match in
            let number = match.output.0.dropFirst(match.output.lead.count)
            let fits = number.count <= 18 && Double(number).map { $0.isFinite } == true
            return fits ? String(match.output.0) : match.output.lead + "0"
        }
    }

    /// `<script>` text without the `<!-- -->` or CDATA wrappers some CMSs add.
    private static func unwrap(_ script: String) -> String {
        var text = script.trimmingCharacters(in: .whitespacesAndNewlines)
        for (open, close) in [("<!--", "-->"), ("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>")] where text.hasPrefix(open) && text.hasSuffix(close) {
            text = String(text.dropFirst(open.count).dropLast(close.count)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }

    // MARK: - Nodes

    static func types(of node: [String: Any]) -> Set<String> {
        if let type = node["@type"] as? String { return [type] }
        return Set((node["@type"] as? [Any] ?? []).compactMap { $0 as? String })
    }

    /// The article node: the first of an article type, else a WebPage (Yoast puts dates there).
    var article: [String: Any]? {
        nodes.first { !Self.types(of: $0).isDisjoint(with: Self.articleTypes) }
            ?? nodes.first { Self.types(of: $0).contains("WebPage") }
    }

    /// The names of the first BreadcrumbList's items, in position order.
    var breadcrumb: [String]? {
        guard let list = nodes.first(where: { Self.types(of: $0).contains("BreadcrumbList") }),
            let items = list["itemListElement"] as? [Any]
        else { return nil }
        let crumbs = items.compactMap { $0 as? [String: Any] }.enumerated().compactMap { offset, item -> (Double, String)? in
            let position = (item["position"] as? Double) ?? (item["position"] as? Int).map(Double.init)
                ?? (item["position"] as? String).flatMap(Double.init) ?? Double(offset)
            let target = resolve(item["item"])
            guard let name = string(item["name"]) ?? target.flatMap({ string($0["name"]) }) else { return nil }
            return (position, name)
        }
        let sorted = crumbs.sorted { $0.0 < $1.0 }.map(\.1)
        return sorted.isEmpty ? nil : sorted
    }

    /// The name of the page's WebSite or Organization node, for a page without `og:site_name`.
    var siteName: String? {
        let site = nodes.first { Self.types(of: $0).contains("WebSite") } ?? nodes.first { Self.types(of: $0).contains("NewsMediaOrganization") }
            ?? nodes.first { Self.types(of: $0).contains("Organization") }
        return site.flatMap { string($0["name"]) }
    }

    /// A referenced node: `{"@id": …}` looked up once, or the object itself.
    func resolve(_ value: Any?) -> [String: Any]? {
        if let id = value as? String { return byID[id] }
        guard let object = value as? [String: Any] else { return nil }
        if object.count == 1, let id = object["@id"] as? String { return byID[id] ?? object }
        return object
    }

    // MARK: - Values

    /// Text from a string, the first of an array, or a `@value` object; entities decoded.
    func string(_ value: Any?) -> String? {
        switch value {
        case let text as String:
            let plain = text.contains("&") || text.contains("<") ? HTMLText.plainText(fromHTML: text) : collapsingWhitespace(text)
            return plain.isEmpty ? nil : plain
        case let array as [Any]: return array.lazy.compactMap { string($0) }.first
        case let object as [String: Any]: return string(object["@value"])
        default: return nil
        }
    }

    /// People's names from a string, a Person, a reference, or an array of any of these.
    func names(_ value: Any?) -> [String] {
        switch value {
        case let text as String:
            if text.hasPrefix("http://") || text.hasPrefix("https://") { return byID[text].flatMap { string($0["name"]) }.map { [$0] } ?? [] }
            return string(text).map { [$0] } ?? []
        case let array as [Any]: return array.flatMap { names($0) }
        case let object as [String: Any]: return resolve(object).flatMap { string($0["name"]) }.map { [$0] } ?? []
        default: return []
        }
    }

    /// Keywords from an array or one comma-separated string.
    func keywords(_ value: Any?) -> [String] {
        switch value {
        case let text as String: return text.split(separator: ",").compactMap { string(String($0)) }
        case let array as [Any]: return array.flatMap { keywords($0) }
        default: return []
        }
    }

    /// The first image's URL and caption, from a URL, an ImageObject, a reference or an array.
    func image(_ value: Any?) -> (url: String, caption: String?)? {
        switch value {
        case let text as String: return byID[text].flatMap { image($0) } ?? (text, nil)
        case let array as [Any]: return array.lazy.compactMap { image($0) }.first
        case let object as [String: Any]:
            guard let node = resolve(object), let url = string(node["url"]) ?? string(node["contentUrl"]) else { return nil }
            return (url, string(node["caption"]))
        default: return nil
        }
    }
}
