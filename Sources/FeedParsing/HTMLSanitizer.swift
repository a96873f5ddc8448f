import CLibXML2
import Foundation
import GazetteModel

/// Makes feed HTML safe to keep and show: an allow-list of elements and attributes, links
/// resolved to absolute http(s)/mailto URLs, everything else dropped.
///
/// Scripts, styles, frames, forms and their content go; `on…` handlers, `style`, and any
/// URL whose scheme is not allowed (`javascript:`, `data:`, `vbscript:`) go. Elements not
/// on the list are unwrapped: their text stays, their tag does not. The output is
/// well-formed HTML serialized by this type, never the input passed through.
public enum HTMLSanitizer {
    /// Elements kept, with the attributes each may keep (besides `dir`, `lang`, `title`).
    static let allowed: [String: Set<String>] = [
        "a": ["href"], "abbr": [], "b": [], "blockquote": ["cite"], "br": [], "caption": [], "cite": [],
        "code": [], "dd": [], "del": [], "dfn": [], "div": [], "dl": [], "dt": [], "em": [], "figcaption": [],
        "figure": [], "h1": [], "h2": [], "h3": [], "h4": [], "h5": [], "h6": [], "hr": [], "i": [],
        "img": ["src", "alt", "width", "height"], "ins": [], "kbd": [], "li": [], "mark": [], "ol": ["start"],
        "p": [], "pre": [], "q": ["cite"], "s": [], "small": [], "span": [], "strong": [], "sub": [], "sup": [],
        "table": [], "tbody": [], "td": ["colspan", "rowspan"], "tfoot": [], "th": ["colspan", "rowspan"],
        "thead": [], "time": ["datetime"], "tr": [], "u": [], "ul": [],
    ]
    /// Elements dropped together with everything inside them.
    static let dropped: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
        "textarea", "select", "option", "noscript", "template", "svg", "math", "head", "title", "meta", "link",
        "base", "audio", "video", "source", "track", "canvas", "dialog",
    ]
    static let voidElements: Set<String> = ["br", "hr", "img"]
    static let urlAttributes: Set<String> = ["href", "src", "cite"]
    static let commonAttributes: Set<String> = ["dir", "lang", "title"]

    /// The sanitized form of an HTML fragment; relative URLs resolve against `baseURL`.
    public static func sanitize(_ html: String, baseURL: String? = nil) -> String {
        sanitized(html, baseURL: baseURL, withText: false).html
    }

    /// A feed item's three HTML-derived fields: the plain-text summary (of the summary HTML,
    /// else of the content) and both sanitized. The result is `HTMLText.summary` and
    /// `sanitize`'s. Without a summary the content is the summary HTML too, as Universal Feed
    /// Parser fills `summary` from `content:encoded`, `xhtml:body` or Atom content, and that
    /// fragment is parsed once for both of its uses.
    ///
    /// With a summary, both HTML fields are sanitized only when read: a fetch stores the
    /// plain-text summary alone, and the sanitizer's walk (links resolved through `URL`) was
    /// a tenth of its parsing. `gazette parse-feed` reads them and gets the same strings.
    static func itemBodies(summaryHTML: FeedHTML?, contentHTML: FeedHTML?, baseURL: String?)
        -> (summary: String, summaryHTML: ItemContent?, content: ItemContent?)
    {
        if let summaryHTML {
            let text = HTMLText.plainText(fromHTML: summaryHTML)
            return (
                HTMLText.truncate(text, to: 400), .unsanitized(summaryHTML, baseURL: baseURL),
                contentHTML.map { .unsanitized($0, baseURL: baseURL) }
            )
        }
        guard let contentHTML else { return ("", nil, nil) }
        let (html, text) = sanitized(contentHTML, baseURL: baseURL, withText: true)
        return (HTMLText.truncate(text, to: 400), .sanitized(html), .sanitized(html))
    }

    /// `sanitize(html)` and `HTMLText.plainText(fromHTML: html)` from one parse.
    static func sanitizeWithText(_ html: String, baseURL: String?) -> (html: String, text: String) {
        sanitized(html, baseURL: baseURL, withText: true)
    }

    /// The sanitized HTML, and the plain text when `withText` (else ""): the plain text of an
    /// item's content is never read, and making it was a tenth of `parse-feed --json`'s time.
    private static func sanitized(_ html: String, baseURL: String?, withText: Bool) -> (html: String, text: String) {
        guard !html.isEmpty else { return ("", "") }
        guard HTMLText.mayHoldMarkup(html) else { return (HTMLText.escape(html), withText ? collapsingWhitespace(html) : "") }
        var html = html
        if let plain = html.withUTF8({ sanitizedPlainMarkup($0, baseURL: baseURL, withText: withText) }) { return plain }
        return sanitizedThroughTree(html, baseURL: baseURL, withText: withText)
    }

    /// `sanitize` of HTML as the feed has it: a slice of the feed's bytes is read in place
    /// when its markup is plain (`PlainMarkup`), without making a `String` of it first.
    static func sanitize(_ html: FeedHTML, baseURL: String?) -> String {
        sanitized(html, baseURL: baseURL, withText: false).html
    }

    /// `sanitized` of a `FeedHTML`, the same answer whichever form it has.
    static func sanitized(_ html: FeedHTML, baseURL: String?, withText: Bool) -> (html: String, text: String) {
        guard case .bytes(let data) = html else { return sanitized(html.string, baseURL: baseURL, withText: withText) }
        let plain = data.withUnsafeBytes { raw -> (html: String, text: String)? in
            let bytes = raw.bindMemory(to: UInt8.self)
            // Empty or without markup: left to the `String` path's first two answers.
            guard let base = bytes.baseAddress, memchr(base, 0x3C, bytes.count) != nil || memchr(base, 0x26, bytes.count) != nil
            else { return nil }
            return sanitizedPlainMarkup(bytes, baseURL: baseURL, withText: withText)
        }
        if let plain { return plain }
        let string = html.string
        guard !string.isEmpty, HTMLText.mayHoldMarkup(string) else {
            return sanitized(string, baseURL: baseURL, withText: withText)
        }
        return sanitizedThroughTree(string, baseURL: baseURL, withText: withText)
    }

    /// `PlainMarkup`'s answer, trimmed and cleaned as the tree's path trims and cleans.
    private static func sanitizedPlainMarkup(_ bytes: UnsafeBufferPointer<UInt8>, baseURL: String?, withText: Bool)
        -> (html: String, text: String)?
    {
        guard let plain = PlainMarkup.sanitize(bytes, baseURL: baseURL, withText: withText) else { return nil }
        let html = UntrustedText.trimmingWhitespace(String(decoding: plain.html, as: UTF8.self))
        return (html, withText ? plain.text.withUnsafeBufferPointer { UntrustedText.clean(utf8: $0) } : "")
    }

    /// The general path: character references alone decoded, anything else parsed by
    /// libxml2's HTML parser and its tree walked. For HTML that holds a `<` or `&`.
    static func sanitizedThroughTree(_ html: String, baseURL: String?, withText: Bool) -> (html: String, text: String) {
        if let text = HTMLText.textOfCharacterReferences(html) {
            // One text node under <body>: what `write` makes of it.
            var output: [UInt8] = []
            var text = text
            text.withUTF8 { HTMLText.appendEscaped($0, to: &output, droppingControls: true) }
            let sanitized = UntrustedText.trimmingWhitespace(String(decoding: output, as: UTF8.self))
            return (sanitized, withText ? collapsingWhitespace(text) : "")
        }
        guard let tree = HTMLText.parseFragment(html), let root = tree.root else {
            let text = collapsingWhitespace(html)
            return (HTMLText.escape(text), text)
        }
        guard let body = root.children.first(where: { $0.name.lowercased() == "body" }) else {
            let text = HTMLText.plainText(of: root)
            return (HTMLText.escape(text), text)
        }
        let text = withText ? HTMLText.plainText(of: root) : ""
        var output: [UInt8] = []
        output.reserveCapacity(html.utf8.count + html.utf8.count / 8)
        write(childrenOf: body, baseURL: baseURL, to: &output, depth: 0)
        return (UntrustedText.trimmingWhitespace(String(decoding: output, as: UTF8.self)), text)
    }

    /// Nesting deeper than this is flattened: no reader needs it, and it bounds recursion.
    static let maxDepth = 200

    /// Writes the sanitized children of `node` as UTF-8 into one buffer: text nodes are
    /// escaped straight from libxml2's bytes, without a `String` per node.
    private static func write(childrenOf node: XMLNode, baseURL: String?, to output: inout [UInt8], depth: Int) {
        var next = node.pointer.pointee.children
        while let pointer = next {
            next = pointer.pointee.next
            if pointer.pointee.isText {
                guard let content = pointer.pointee.content else { continue }
                let bytes = UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content)))
                HTMLText.appendEscaped(bytes, to: &output, droppingControls: true)
            } else if pointer.pointee.isElement {
                let child = XMLNode(pointer: pointer, tree: node.tree)
                let name = child.name.lowercased()
                if dropped.contains(name) { continue }
                guard let attributes = allowed[name], depth < maxDepth else {
                    write(childrenOf: child, baseURL: baseURL, to: &output, depth: depth + 1)  // unwrap
                    continue
                }
                var kept: [(String, String)] = []
                if pointer.pointee.properties != nil {
                    for (attribute, value) in child.attributes {
                        let key = attribute.lowercased()
                        guard attributes.contains(key) || commonAttributes.contains(key) else { continue }
                        if urlAttributes.contains(key) {
                            guard let url = safeURL(value, baseURL: baseURL, forImage: name == "img") else { continue }
                            kept.append((key, url))
                        } else {
                            kept.append((key, value))
                        }
                    }
                }
                if name == "img", !kept.contains(where: { $0.0 == "src" }) { continue }
                output.append(0x3C)  // <
                output.append(contentsOf: name.utf8)
                for (key, value) in kept {
                    output.append(0x20)
                    output.append(contentsOf: key.utf8)
                    output.append(contentsOf: "=\"".utf8)
                    var value = value
                    value.withUTF8 { HTMLText.appendEscaped($0, to: &output, droppingControls: false) }
                    output.append(0x22)
                }
                output.append(0x3E)  // >
                if voidElements.contains(name) { continue }
                write(childrenOf: child, baseURL: baseURL, to: &output, depth: depth + 1)
                output.append(contentsOf: "</".utf8)
                output.append(contentsOf: name.utf8)
                output.append(0x3E)
            }  // comments and processing instructions are left out
        }
    }

    static let imageSchemes: Set<String> = ["http", "https"]
    static let linkSchemes: Set<String> = ["http", "https", "mailto"]

    /// An absolute URL with an allowed scheme, or nil: http and https everywhere, mailto in links.
    static func safeURL(_ value: String, baseURL: String?, forImage: Bool) -> String? {
        let allowedSchemes = forImage ? imageSchemes : linkSchemes
        // A link starting with "/" resolves to a URL with the base's scheme, or stays without
        // one (no usable base): under a base whose scheme is not allowed here (a file's URL,
        // as `parse-feed` of files has) it is never safe. WordPress writes its tag links this
        // way, and resolving each through `URL` to learn so was a twentieth of `parse-feed`.
        if value.utf8.first == UInt8(ascii: "/"), !(baseURL.flatMap(scheme).map { allowedSchemes.contains($0) } ?? false) {
            return nil
        }
        return safeURLResolving(value, baseURL: baseURL, allowedSchemes: allowedSchemes)
    }

    /// The lower-cased scheme a URL starts with (RFC 3986: a letter, then letters, digits,
    /// `+`, `-` or `.`, then `:`), or nil.
    static func scheme(of url: String) -> String? {
        guard let colon = url.utf8.firstIndex(of: UInt8(ascii: ":")), colon > url.utf8.startIndex else { return nil }
        let name = url.utf8[..<colon]
        guard let first = name.first, (0x61...0x7A).contains(first | 0x20),
            name.allSatisfy({ (0x61...0x7A).contains($0 | 0x20) || (0x30...0x39).contains($0) || "+-.".utf8.contains($0) })
        else { return nil }
        return String(decoding: name, as: UTF8.self).lowercased()
    }

    /// `safeURL` by resolving the value against the base, whatever it is.
    static func safeURLResolving(_ value: String, baseURL: String?, allowedSchemes: Set<String>) -> String? {
        // Browsers ignore control characters and spaces inside a scheme ("java\tscript:"),
        // so the scheme is judged on the value without them (most values have none).
        let squeezed =
            value.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F }
            ? value : String(value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })
        if let colon = squeezed.firstIndex(of: ":"), !squeezed[..<colon].contains(where: { "/?#".contains($0) }),
            !allowedSchemes.contains(squeezed[..<colon].lowercased())
        {
            return nil
        }
        guard let resolved = resolve(value, against: baseURL), let colon = resolved.firstIndex(of: ":") else { return nil }
        return allowedSchemes.contains(resolved[..<colon].lowercased()) ? resolved : nil
    }
}
