/// Reads `HTMLSanitizer` output back, byte by byte, and says what a browser could act on.
///
/// Written apart from the sanitizer on purpose: its own allow-list is what is being
/// checked, so this keeps a copy. The output must be only allowed tags with allowed,
/// double-quoted attributes, URL attributes with an http(s) (or, in links, mailto) scheme,
/// and text with `<`, `>` and `"` escaped; so no `<script`, no `on…=` handler and no
/// `javascript:` URL can be in it.
enum SanitizedHTMLCheck {
    static let allowed: [String: Set<String>] = [
        "a": ["href"], "abbr": [], "b": [], "blockquote": ["cite"], "br": [], "caption": [], "cite": [],
        "code": [], "dd": [], "del": [], "dfn": [], "div": [], "dl": [], "dt": [], "em": [], "figcaption": [],
        "figure": [], "h1": [], "h2": [], "h3": [], "h4": [], "h5": [], "h6": [], "hr": [], "i": [],
        "img": ["src", "alt", "width", "height"], "ins": [], "kbd": [], "li": [], "mark": [], "ol": ["start"],
        "p": [], "pre": [], "q": ["cite"], "s": [], "small": [], "span": [], "strong": [], "sub": [], "sup": [],
        "table": [], "tbody": [], "td": ["colspan", "rowspan"], "tfoot": [], "th": ["colspan", "rowspan"],
        "thead": [], "time": ["datetime"], "tr": [], "u": [], "ul": [],
    ]
    static let common: Set<String> = ["dir", "lang", "title"]
    static let urlAttributes: Set<String> = ["href", "src", "cite"]

    static func violations(_ html: String, field: String) -> [String] {
        var problems: [String] = []
        let lowered = html.lowercased()
        // "javascript:" as text or in a title is harmless words; the URL attributes, where it
        // would run, are checked below (a first report from this check was that false alarm).
        if lowered.contains("<script") { problems.append("\(field) contains '<script': \(TextChecks.excerpt(html))") }
        let bytes = Array(html.utf8)
        var index = 0
        func fail(_ reason: String) {
            problems.append(
                "\(field): \(reason) at byte \(index): \(TextChecks.excerpt(String(decoding: bytes[index...], as: UTF8.self)))")
        }
        func name(from start: Int) -> (String, Int) {
            var end = start
            while end < bytes.count, bytes[end].isNameByte { end += 1 }
            return (String(decoding: bytes[start..<end], as: UTF8.self), end)
        }
        scan: while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: ">"), UInt8(ascii: "\""):
                fail("an unescaped '\(Character(Unicode.Scalar(bytes[index])))' in text")
                break scan
            case UInt8(ascii: "<"):
                let closing = index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/")
                let (tag, afterName) = name(from: index + (closing ? 2 : 1))
                guard let attributes = allowed[tag] else {
                    fail("a tag that is not on the allow-list ('\(tag)')")
                    break scan
                }
                var cursor = afterName
                while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") {
                    let (attribute, afterAttribute) = name(from: cursor + 1)
                    guard !attribute.isEmpty, afterAttribute + 1 < bytes.count, bytes[afterAttribute] == UInt8(ascii: "="),
                        bytes[afterAttribute + 1] == UInt8(ascii: "\""),
                        let close = bytes[(afterAttribute + 2)...].firstIndex(of: UInt8(ascii: "\""))
                    else {
                        fail("a malformed attribute in <\(tag)>")
                        break scan
                    }
                    let value = String(decoding: bytes[(afterAttribute + 2)..<close], as: UTF8.self)
                    if closing || !(attributes.contains(attribute) || common.contains(attribute)) {
                        fail("attribute '\(attribute)' on <\(tag)>")
                        break scan
                    }
                    if value.contains("<") || value.contains(">") {
                        fail("an unescaped '<' or '>' in attribute '\(attribute)'")
                        break scan
                    }
                    if urlAttributes.contains(attribute) {
                        let schemes = tag == "img" ? ["http:", "https:"] : ["http:", "https:", "mailto:"]
                        if !schemes.contains(where: { value.lowercased().hasPrefix($0) }) {
                            fail(
                                "'\(attribute)' is not an http(s)\(tag == "img" ? "" : " or mailto") URL: \(TextChecks.excerpt(value))"
                            )
                            break scan
                        }
                    }
                    cursor = close + 1
                }
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ">") else {
                    fail("a tag <\(tag)> that does not end where its attributes do")
                    break scan
                }
                index = cursor + 1
            default:
                index += 1
            }
        }
        return problems
    }
}

extension UInt8 {
    fileprivate var isNameByte: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
            || self == UInt8(ascii: "-")
    }
}
