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
        guard !html.isEmpty else { return "" }
        guard html.contains("<") || html.contains("&") else { return HTMLText.escape(html) }
        let wrapped = "<html><body>" + html + "</body></html>"
        guard let tree = XMLTree.parseHTML(Data(wrapped.utf8), baseURL: nil), let root = tree.root,
            let body = root.children.first(where: { $0.name.lowercased() == "body" })
        else { return HTMLText.escape(HTMLText.plainText(fromHTML: html)) }
        var output = ""
        write(childrenOf: body, baseURL: baseURL, to: &output, depth: 0)
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Nesting deeper than this is flattened: no reader needs it, and it bounds recursion.
    static let maxDepth = 200

    private static func write(childrenOf node: XMLNode, baseURL: String?, to output: inout String, depth: Int) {
        for child in node.childNodes {
            switch child.pointer.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                let text = String(String.UnicodeScalarView(child.text.unicodeScalars.filter { $0 == "\n" || !UntrustedText.isForbidden($0) }))
                output += HTMLText.escape(text)
            case XML_ELEMENT_NODE:
                let name = child.name.lowercased()
                if dropped.contains(name) { continue }
                guard let attributes = allowed[name], depth < maxDepth else {
                    write(childrenOf: child, baseURL: baseURL, to: &output, depth: depth + 1)  // unwrap
                    continue
                }
                var kept: [(String, String)] = []
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
                if name == "img", !kept.contains(where: { $0.0 == "src" }) { continue }
                output += "<" + name
                for (key, value) in kept { output += " \(key)=\"\(HTMLText.escape(value))\"" }
                output += ">"
                if voidElements.contains(name) { continue }
                write(childrenOf: child, baseURL: baseURL, to: &output, depth: depth + 1)
                output += "</\(name)>"
            default:
                continue  // comments, processing instructions
            }
        }
    }

    /// An absolute URL with an allowed scheme, or nil: http and https everywhere, mailto in links.
    static func safeURL(_ value: String, baseURL: String?, forImage: Bool) -> String? {
        let allowedSchemes: Set<String> = forImage ? ["http", "https"] : ["http", "https", "mailto"]
        // Browsers ignore control characters and spaces inside a scheme ("java\tscript:"),
        // so the scheme is judged on the value without them.
        let squeezed = String(value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })
        if let colon = squeezed.firstIndex(of: ":"), !squeezed[..<colon].contains(where: { "/?#".contains($0) }),
            !allowedSchemes.contains(squeezed[..<colon].lowercased())
        {
            return nil
        }
        guard let resolved = resolve(value, against: baseURL), let colon = resolved.firstIndex(of: ":") else { return nil }
        return allowedSchemes.contains(resolved[..<colon].lowercased()) ? resolved : nil
    }
}
