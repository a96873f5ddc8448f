import CLibXML2
import Foundation

/// Everything generic extraction reads from a page's markup, gathered in one walk.
struct PageMarkup {
    /// `<meta property|name|itemprop=… content=…>`, keys lowercased, values in page order.
    var meta: [String: [String]] = [:]
    var canonical: String?
    var htmlLanguage: String?
    var htmlDirection: String?
    var title: String?
    var firstHeading: String?
    var jsonLD: [String] = []
    var microdataBreadcrumb: [String] = []
    var breadcrumb: [String] = []
    var tagLinks: [String] = []
    var tagBlock: [String] = []
    var authorLinks: [String] = []
    /// Names in links to an author's page (`/author/jane-doe/`, `/people/…`, `/profile/…`),
    /// for bylines marked up with neither `rel=author` nor a byline class.
    var authorPageLinks: [String] = []
    /// `rel="category"` links (WordPress writes `rel="category tag"`): the post's category.
    var categoryLinks: [String] = []
    var bylines: [String] = []
    var times: [(datetime: String, published: Bool)] = []
    /// `<link rel=image_src>`, an old way of naming a page's picture that some CMSs keep.
    var imageSource: String?
    /// `itemprop=datePublished` on an element other than `<meta>`: its `content`,
    /// `datetime` or text.
    var itempropPublished: [String] = []
    /// Short texts of elements whose class or id says they hold a date ("entry-date",
    /// "article__timestamp"), in page order; `updated` when they say it is the last edit.
    var dateTexts: [(text: String, updated: Bool)] = []
    /// The same, above the first `<h1>` and outside `<article>`/`<main>`.
    var dateTextsAboveHeading: [(text: String, updated: Bool)] = []
    /// The readable text from the first `<h1>` on (mastheads print today's date above it),
    /// at most `maxVisibleText` characters.
    var visibleText = ""
    private var seenHeading = false
    private static let maxVisibleText = 20_000
    /// The first real paragraph inside `<article>`/`<main>`, else anywhere.
    var firstParagraph: String? { articleParagraph ?? anyParagraph }
    private var articleParagraph: String?
    private var anyParagraph: String?
    /// Every `<img>` with its alt text and the caption of the `<figure>` around it.
    var images: [(src: String, alt: String?, caption: String?)] = []

    init(tree: XMLTree, baseURL: String) {
        guard let root = tree.root else { return }
        htmlLanguage = root.attribute("lang") ?? root.attribute("xml:lang")
        htmlDirection = root.attribute("dir")
        walk(root, baseURL: baseURL, inArticle: false, depth: 0)
    }

    func first(_ key: String) -> String? { meta[key]?.first { !$0.isEmpty } }

    private static let separators: Set<String> = ["»", ">", "/", "|", "›", "→", "•", "·", "-", "«", "<", "‹"]
    /// Nesting deeper than this is not read: no real page needs it, and it bounds recursion.
    private static let maxDepth = 256

    /// Path parts of links to a writer's own page.
    private static let authorPaths = ["/author/", "/authors/", "/people/", "/profile/", "/writers/", "/journalist/", "/journalists/", "/auteur/", "/autor/", "/autore/"]

    /// Two to five words, at most 50 characters, with no digits: a person's name, not "All authors" or "More from…".
    static func looksLikeAName(_ text: String) -> Bool {
        let words = text.split(separator: " ")
        let lowered = text.lowercased()
        return (2...5).contains(words.count) && text.count <= 50 && !text.contains(where: \.isNumber)
            && !["more", "all ", "view", "see ", "follow", "about", "contact", "profile"].contains(where: lowered.contains)
    }

    /// Class or id fragments of elements that show the publish time.
    private static let dateMarks = ["date", "time", "publish", "posted", "dateline"]
    /// Class-name fragments of byline elements, in the languages of the pages Gazette reads
    /// ("autor", Italian "firma", French "signature"), and of what sits beside a byline but is not one.
    private static let bylineFragments = ["byline", "author", "autor", "writer", "firma", "signature", "submitted", "creator"]
    private static let notBylineFragments = ["bio", "avatar", "img", "image", "photo", "desc", "follow", "social", "more", "box", "list"]

    private static func isBylineMark(_ mark: Substring) -> Bool {
        bylineFragments.contains(where: mark.contains) && !notBylineFragments.contains(where: mark.contains)
    }

    private mutating func walk(_ node: XMLNode, baseURL: String, inArticle: Bool, depth: Int) {
        guard depth < Self.maxDepth else { return }
        if seenHeading, visibleText.utf8.count < Self.maxVisibleText {
            for text in node.childNodes where text.pointer.pointee.type == XML_TEXT_NODE {
                if let value = text.trimmedText { visibleText += value + "\n" }
            }
        }
        for child in node.children {
            let name = child.name.lowercased()
            var inside = inArticle
            switch name {
            case "meta":
                if let content = child.attribute("content") {
                    for key in ["property", "name", "itemprop", "http-equiv"] {
                        if let value = child.attribute(key)?.lowercased() { meta[value, default: []].append(content.trimmingCharacters(in: .whitespacesAndNewlines)) }
                    }
                }
                continue
            case "link":
                let rel = (child.attribute("rel") ?? "").lowercased().split(separator: " ")
                if rel.contains("canonical"), canonical == nil { canonical = resolve(child.attribute("href"), against: baseURL) }
                if rel.contains("image_src"), imageSource == nil { imageSource = resolve(child.attribute("href"), against: baseURL) }
                continue
            case "title":
                if title == nil { title = child.trimmedText.map(collapsingWhitespace) }
                continue
            case "script":
                if child.attribute("type")?.lowercased().contains("ld+json") == true { jsonLD.append(child.text) }
                continue
            case "style", "noscript", "template", "svg":
                continue
            case "h1":
                if firstHeading == nil { firstHeading = child.trimmedText.map(collapsingWhitespace) }
                seenHeading = true
            case "article", "main":
                inside = true
            case "time":
                if let datetime = child.attribute("datetime") {
                    let hint = ((child.attribute("itemprop") ?? "") + " " + (child.attribute("class") ?? "")).lowercased()
                    times.append((datetime, hint.contains("publish")))
                }
            case "a":
                let rel = (child.attribute("rel") ?? "").lowercased().split(separator: " ")
                if rel.contains("tag"), !rel.contains("category"), let text = child.trimmedText { tagLinks.append(collapsingWhitespace(text)) }
                if rel.contains("author"), let text = child.trimmedText { authorLinks.append(collapsingWhitespace(text)) }
                if rel.contains("category"), let text = child.trimmedText { categoryLinks.append(collapsingWhitespace(text)) }
                if authorPageLinks.count < 10, let href = child.attribute("href")?.lowercased(), Self.authorPaths.contains(where: href.contains),
                    let text = child.trimmedText.map(collapsingWhitespace), Self.looksLikeAName(text)
                {
                    authorPageLinks.append(text)
                }
            case "p":
                if articleParagraph == nil, let text = child.trimmedText.map(collapsingWhitespace), text.count >= 60 {
                    if inArticle { articleParagraph = text } else if anyParagraph == nil { anyParagraph = text }
                }
            case "img":
                if let src = resolve(child.attribute("src") ?? child.attribute("data-src"), against: baseURL) {
                    images.append((src, child.attribute("alt").map(collapsingWhitespace), nil))
                }
            case "figure":
                let before = images.count
                walk(child, baseURL: baseURL, inArticle: inside, depth: depth + 1)
                if images.count > before, let caption = child.descendants(named: "figcaption").first?.trimmedText {
                    for index in before..<images.count { images[index].caption = collapsingWhitespace(caption) }
                }
                continue
            default:
                break
            }
            let marks = ((child.attribute("class") ?? "") + " " + (child.attribute("id") ?? "") + " " + (child.attribute("aria-label") ?? "")).lowercased()
            if child.attribute("itemprop")?.lowercased() == "datepublished",
                let value = child.attribute("content") ?? child.attribute("datetime") ?? child.trimmedText
            {
                itempropPublished.append(value)
            }
            if Self.dateMarks.contains(where: marks.contains), dateTexts.count < 50, let text = child.trimmedText.map(collapsingWhitespace),
                text.count <= 200
            {
                // Above the headline, a date is usually the masthead's "today": kept only as a last resort.
                let entry = (text, ["updated", "modified"].contains(where: marks.contains))
                if seenHeading || inArticle { dateTexts.append(entry) } else { dateTextsAboveHeading.append(entry) }
            }
            if microdataBreadcrumb.isEmpty, child.attribute("itemtype")?.hasSuffix("BreadcrumbList") == true {
                microdataBreadcrumb = child.descendants(named: "*").filter { $0.attribute("itemprop") == "name" }.compactMap(\.trimmedText)
                    .map(collapsingWhitespace)
            }
            if breadcrumb.isEmpty, marks.contains("breadcrumb") {
                breadcrumb = Self.crumbs(in: child)
            }
            if child.attribute("itemprop") == "author" || marks.split(separator: " ").contains(where: Self.isBylineMark) {
                if let text = child.trimmedText.map(collapsingWhitespace), text.count < 120 { bylines.append(text) }
            }
            if tagBlock.isEmpty, let label = child.childNodes.first(where: { $0.pointer.pointee.type == XML_TEXT_NODE && $0.trimmedText != nil })?
                .trimmedText, Self.isTagLabel(label)
            {
                tagBlock = child.descendants(named: "a").compactMap(\.trimmedText).map(collapsingWhitespace)
            }
            walk(child, baseURL: baseURL, inArticle: inside, depth: depth + 1)
        }
    }

    /// "Tags:", "Topics:", "תגיות:" and the like.
    private static func isTagLabel(_ text: String) -> Bool {
        let label = text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ": "))
        return text.hasSuffix(":") && ["tags", "tag", "topics", "keywords", "תגיות", "נושאים"].contains(label)
    }

    /// The texts of a breadcrumb trail's links and final item, separators skipped.
    private static func crumbs(in trail: XMLNode) -> [String] {
        var texts: [String] = []
        var stack: [XMLNode] = trail.children.reversed()
        while let node = stack.popLast() {
            let name = node.name.lowercased()
            let isLeaf = node.children.isEmpty
            if name == "a" || (isLeaf && ["span", "li", "strong", "em", "b"].contains(name)) {
                if let text = node.trimmedText.map(collapsingWhitespace), !separators.contains(text) { texts.append(text) }
                continue
            }
            stack.append(contentsOf: node.children.reversed())
        }
        return texts
    }
}
