import Foundation
import GazetteModel

/// Reads an article page: JSON-LD, OpenGraph and `article:` meta tags, microdata and
/// breadcrumb markup, WordPress tag links, bylines and `<time>`, then per-site rules for
/// what those miss. Pure: bytes, URL and rules in, `ArticleMetadata` out.
///
/// Each field takes the most reliable source that has it; the order is in `extract`. A
/// broken page gives what it can and a warning, never an error.
public enum ArticleExtractor {
    /// Pages larger than this are cut before parsing: the metadata lives in the first part.
    public static let maxBytes = 4 * 1024 * 1024

    public static func extract(_ data: Data, url: String, contentType: String? = nil, rules: SiteRules? = nil) -> ArticleMetadata {
        var metadata = ArticleMetadata()
        var bytes = data
        if bytes.count > maxBytes {
            bytes = bytes.prefix(maxBytes)
            metadata.warnings.append("the page is larger than \(maxBytes / 1_048_576) MiB; only its start was read")
        }
        let encoding = PageEncoding.encoding(of: bytes, contentType: contentType)
        guard let tree = XMLTree.parseHTML(bytes, baseURL: url, encoding: encoding), tree.root != nil else {
            metadata.warnings.append("the page is empty or not HTML")
            return metadata
        }
        let page = PageMarkup(tree: tree, baseURL: url)
        let ld = JSONLD(scripts: page.jsonLD, warnings: &metadata.warnings)
        let article = ld.article
        let ruled = rules.map { RuledFields(tree: tree, rules: $0, warnings: &metadata.warnings) }

        metadata.url = (page.canonical ?? resolve(page.first("og:url"), against: url)
            ?? resolve(ld.string(article?["url"]) ?? ld.resolve(article?["mainEntityOfPage"]).flatMap { ld.string($0["@id"]) }, against: url))
            .map(CanonicalURL.normalize)
        let declaredSiteName = (page.first("og:site_name") ?? ld.names(article?["publisher"]).first ?? ld.siteName
            ?? page.first("application-name")).map(collapsingWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        metadata.title = ld.string(article?["headline"]) ?? page.first("og:title").map { withoutSuffix(plainTitle($0), declaredSiteName) }
            ?? page.firstHeading ?? page.title.map(withoutSiteName)
        // A byline naming the site or its publisher is no person's: the next source is asked.
        let notPeople = Set([declaredSiteName, ld.names(article?["publisher"]).first].compactMap { $0?.lowercased() })
        func people(_ names: [String]) -> [String]? { nonEmpty(names.filter { !notPeople.contains($0.lowercased()) }) }
        metadata.authors = nonEmpty(ruled?.authors) ?? people(ld.names(article?["author"]).flatMap(Byline.names))
            ?? people(Self.authorMetaNames.flatMap { page.meta[$0] ?? [] }.filter { !$0.hasPrefix("http") }.flatMap(Byline.names))
            ?? people(page.authorLinks.flatMap(Byline.names)) ?? people(page.bylines.prefix(1).flatMap(Byline.names))
            ?? people(Array(page.authorPageLinks.prefix(1))) ?? []
        metadata.authors = uniqued(metadata.authors.map(withoutBy).filter { !$0.isEmpty })

        metadata.language = page.htmlLanguage.flatMap { $0.isEmpty ? nil : $0 } ?? ld.string(article?["inLanguage"])
            ?? page.first("og:locale").map { $0.replacingOccurrences(of: "_", with: "-") } ?? page.first("content-language")
        // Cleaned like every other field: a `lang` attribute or JSON-LD value may hold
        // newlines or bidi overrides (found by fuzzing).
        metadata.language = metadata.language.map(collapsingWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        if let published = ruled?.published {
            metadata.publishedAt = published
        } else if let found = PublishDate.find(page: page, ld: ld, article: article, url: url, language: metadata.language, warnings: &metadata.warnings) {
            (metadata.publishedAt, metadata.publishedOffset) = (found.date, found.offset)
        }
        metadata.modifiedAt = date(ld.string(article?["dateModified"]), &metadata.warnings)
            ?? date(page.first("article:modified_time") ?? page.first("og:updated_time"), &metadata.warnings)

        let sections: [[String]?] = [
            ruled?.section, ld.breadcrumb, page.microdataBreadcrumb, page.breadcrumb, sectionPath(ld.string(article?["articleSection"])),
            sectionPath(page.first("article:section")), sectionPath(page.first("parsely-section") ?? page.first("section")),
            page.categoryLinks.first.map { [$0] }, URLSection.path(url),
        ]
        metadata.section = sections.lazy.compactMap { $0 }.map { cleanSection($0, title: metadata.title, url: url, rules: rules) }
            .first { !$0.isEmpty } ?? []

        let tags = nonEmpty(ruled?.tags)
            ?? (ld.keywords(article?["keywords"]) + (page.meta["article:tag"] ?? []) + page.tagLinks + page.tagBlock
                + ld.keywords(page.first("news_keywords")))
        metadata.tags = uniqued(tags.map(collapsingWhitespace).filter { !$0.isEmpty && $0.count <= 100 })

        let summary = page.first("og:description") ?? page.first("description") ?? ld.string(article?["description"])
            ?? page.firstParagraph
        metadata.summary = summary.map { HTMLText.truncate(HTMLText.plainText(fromHTML: $0), to: 400) }.flatMap { $0.isEmpty ? nil : $0 }

        metadata.image = leadImage(page: page, ld: ld, article: article, url: url)
        metadata.siteName = declaredSiteName ?? titleSuffix(page.title, heading: metadata.title).map(collapsingWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        if let direction = page.htmlDirection.flatMap({ TextDirection(rawValue: $0.lowercased()) }) {
            metadata.direction = direction
        } else {
            metadata.direction = TextDirection.of(language: metadata.language) ?? .ltr
        }
        return metadata
    }

    // MARK: - Fields

    private static func leadImage(page: PageMarkup, ld: JSONLD, article: [String: Any]?, url: String) -> PageImage? {
        let fromLD = ld.image(article?["image"])
        let candidates = [
            page.first("og:image"), page.first("og:image:url"), page.first("og:image:secure_url"), page.first("twitter:image"),
            page.first("twitter:image:src"), fromLD?.url, page.imageSource, page.first("thumbnail"), page.first("image"),
        ]
        guard let src = candidates.lazy.compactMap({ asWritten($0) ?? resolve($0, against: url) }).first(where: { $0.hasPrefix("http") }) else {
            return nil
        }
        let onPage = page.images.first { $0.src == src || sameFile($0.src, src) }
        return PageImage(
            url: src, caption: fromLD?.caption ?? onPage?.caption,
            alt: page.first("og:image:alt") ?? page.first("twitter:image:alt") ?? onPage?.alt.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// An absolute http(s) image address exactly as the page wrote it (CDN addresses with
    /// `|` or `,` stay byte for byte the same), when it is printable ASCII.
    private static func asWritten(_ link: String?) -> String? {
        guard let link = link?.trimmingCharacters(in: .whitespacesAndNewlines), link.hasPrefix("https://") || link.hasPrefix("http://"),
            link.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }), URLComponents(string: link)?.host != nil || link.contains("|")
        else { return nil }
        return link
    }

    /// WordPress serves resized copies ("photo-1024x576.jpg"); a page's `<img>` and its
    /// `og:image` are often two sizes of one file.
    private static func sameFile(_ a: String, _ b: String) -> Bool {
        func stem(_ url: String) -> String {
            let name = url.split(separator: "/").last.map(String.init) ?? url
            return name.replacing(/-\d+x\d+(?=\.\w+$)/, with: "")
        }
        return stem(a) == stem(b)
    }

    /// "News > Middle East" or "News / Middle East" as a path; a plain name as one level.
    static func sectionPath(_ text: String?) -> [String]? {
        guard let text, !text.isEmpty else { return nil }
        for separator in [">", "»", "/", "|"] where text.contains(separator) {
            return text.components(separatedBy: separator).map { collapsingWhitespace($0) }.filter { !$0.isEmpty }
        }
        return [text]
    }

    /// Names that mean "the home page", not a section.
    static let homeNames: Set<String> = ["home", "homepage", "home page", "start", "ראשי", "דף הבית", "עמוד ראשי", "الرئيسية"]

    static func cleanSection(_ crumbs: [String], title: String?, url: String, rules: SiteRules?) -> [String] {
        var path = crumbs.map(collapsingWhitespace).filter { !$0.isEmpty }
        if let first = path.first, homeNames.contains(first.lowercased()) { path.removeFirst() }
        if let last = path.last, isArticleItself(last, title: title) { path.removeLast() }
        if let rules {
            let dropped = Set(rules.dropSections.map { $0.lowercased() })
            path = path.filter { !dropped.contains($0.lowercased()) }
            let map = Dictionary(rules.sectionMap.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
            path = path.map { map[$0.lowercased()] ?? $0 }
        }
        // A rename can make neighbours equal ("Israel at War" → "Israel" under "Israel").
        return path.enumerated().filter { $0.offset == 0 || path[$0.offset - 1].lowercased() != $0.element.lowercased() }.map(\.element)
    }

    /// The last crumb is often the article's own title, possibly cut short with an ellipsis.
    private static func isArticleItself(_ crumb: String, title: String?) -> Bool {
        guard let title else { return false }
        let a = crumb.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "…. "))
        let b = title.lowercased()
        return a == b || (a.count >= 12 && b.hasPrefix(a))
    }

    /// "Turkey pushes for role | Israel Hayom" → "Turkey pushes for role".
    private static func withoutSiteName(_ title: String) -> String {
        for separator in [" | ", " – ", " — ", " - ", " :: "] where title.contains(separator) {
            let parts = title.components(separatedBy: separator)
            return parts.dropLast().joined(separator: separator)
        }
        return title
    }

    /// "Storm floods towns - National News" → "National News", when what comes before the
    /// separator is the article's own title: the rest is then the site's name.
    private static func titleSuffix(_ title: String?, heading: String?) -> String? {
        guard let title, let heading, !heading.isEmpty else { return nil }
        for separator in [" | ", " – ", " — ", " - ", " :: ", " « ", " » "] {
            let parts = title.components(separatedBy: separator)
            guard parts.count >= 2, parts[0].lowercased() == heading.lowercased(), let last = parts.last, last.count <= 60 else { continue }
            return last
        }
        return nil
    }

    /// "Our harvest report — Willow Creek Farm" → "Our harvest report" when the site is "Willow Creek Farm".
    private static func withoutSuffix(_ title: String, _ siteName: String?) -> String {
        guard let siteName, title.count > siteName.count + 3, title.lowercased().hasSuffix(siteName.lowercased()) else { return title }
        let head = title.dropLast(siteName.count).trimmingCharacters(in: .whitespaces)
        for separator in ["|", "–", "—", "-", "::", "«", "»", "·"] where head.hasSuffix(separator) {
            let cut = head.dropLast(separator.count).trimmingCharacters(in: .whitespaces)
            return cut.isEmpty ? title : cut
        }
        return title
    }

    /// "By Ariel Kahana", "מאת אריאל כהנא" → the name.
    static func withoutBy(_ text: String) -> String {
        var name = collapsingWhitespace(text)
        for prefix in ["by ", "by: ", "מאת ", "מאת: ", "written by "] where name.lowercased().hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
        }
        return name.trimmingCharacters(in: CharacterSet(charactersIn: " ,|"))
    }

    /// Meta tags that name the author, most used first.
    static let authorMetaNames = ["author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "byl", "citation_author"]

    private static func date(_ text: String?, _ warnings: inout [String]) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let date = FeedDate.parse(text) { return date }
        warnings.append("unreadable date '\(text.prefix(60))'")
        return nil
    }

    private static func nonEmpty<C: Collection>(_ values: C?) -> [String]? where C.Element == String {
        guard let values else { return nil }
        let kept = values.map(collapsingWhitespace).filter { !$0.isEmpty }
        return kept.isEmpty ? nil : kept
    }

    static func uniqued(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0.lowercased()).inserted }
    }
}

/// What a site's rules select from its page.
struct RuledFields {
    var section: [String]?
    var tags: [String]?
    var authors: [String]?
    var published: Date?

    init(tree: XMLTree, rules: SiteRules, warnings: inout [String]) {
        func texts(_ selector: String?, _ field: String) -> [String]? {
            guard let selector else { return nil }
            guard let xpath = Selector.xpath(selector), let nodes = tree.select(xpath) else {
                warnings.append("the \(field) rule '\(selector)' is not a selector Gazette understands")
                return nil
            }
            return nodes.compactMap(\.trimmedText).map(collapsingWhitespace)
        }
        section = texts(rules.section, "section")
        // One element holding the whole trail ("Local > Jerusalem") is split into its levels.
        if let whole = section, whole.count == 1, let path = ArticleExtractor.sectionPath(whole[0]) { section = path }
        tags = texts(rules.tags, "tags")
        authors = texts(rules.author, "author")?.map(ArticleExtractor.withoutBy)
        if let text = texts(rules.date, "date")?.first {
            published = VisibleDate.parse(text, format: rules.dateFormat, timeZone: rules.timeZone)
            if published == nil { warnings.append("the date '\(text.prefix(60))' does not match the format '\(rules.dateFormat ?? "")'") }
        }
    }
}
