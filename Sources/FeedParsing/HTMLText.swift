import CLibXML2
import Foundation

/// Plain text from feed HTML, for summaries and the text part of the email.
public enum HTMLText {
    /// Elements whose content is never text a reader should see.
    private static let invisible: Set<String> = ["script", "style", "noscript", "template", "iframe", "object", "svg", "head"]
    /// Elements that end a line of text.
    private static let blocks: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure",
        "figcaption", "table", "tr", "td", "th", "section", "article", "header", "footer", "pre", "hr",
    ]

    /// The visible text of an HTML fragment, whitespace collapsed to single spaces.
    public static func plainText(fromHTML html: String) -> String {
        guard html.contains("<") || html.contains("&") else { return collapsingWhitespace(html) }
        let wrapped = "<html><body>" + html + "</body></html>"
        guard let tree = XMLTree.parseHTML(Data(wrapped.utf8), baseURL: nil), let root = tree.root else {
            return collapsingWhitespace(html)
        }
        var output = ""
        appendText(of: root, to: &output)
        return collapsingWhitespace(output)
    }

    /// A summary of at most `limit` characters, cut at a word boundary with an ellipsis.
    public static func summary(fromHTML html: String, limit: Int = 400) -> String {
        truncate(plainText(fromHTML: html), to: limit)
    }

    /// Cuts text to at most `limit` characters at a word boundary, adding "…" when cut.
    public static func truncate(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let cut = text.prefix(limit - 1)
        let atWord = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return atWord.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)) + "…"
    }

    /// Escapes the five characters that are special in HTML text and attributes.
    ///
    /// Byte by byte, not `Character` by `Character`: a quote followed by a combining mark
    /// (`"` U+0301) is one `Character` that is not `"`, so it passed through unescaped and
    /// closed the attribute it was in, letting the rest of the value become attributes
    /// (`onmouseover=…`). Browsers tokenize code points, not grapheme clusters. Seen while
    /// writing the feed parser's fuzz check, which now asserts it (Fuzz/Regressions/FeedParser).
    public static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes += "&amp;".utf8
            case UInt8(ascii: "<"): bytes += "&lt;".utf8
            case UInt8(ascii: ">"): bytes += "&gt;".utf8
            case UInt8(ascii: "\""): bytes += "&quot;".utf8
            case UInt8(ascii: "'"): bytes += "&#39;".utf8
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendText(of node: XMLNode, to output: inout String) {
        for child in node.childNodes {
            switch child.pointer.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                output += child.text
            case XML_ELEMENT_NODE:
                let name = child.name.lowercased()
                if invisible.contains(name) { continue }
                if name == "img", let alt = child.attribute("alt"), !alt.isEmpty { output += " " + alt + " " }
                appendText(of: child, to: &output)
                if blocks.contains(name) { output += " " }
            default:
                continue
            }
        }
    }
}
