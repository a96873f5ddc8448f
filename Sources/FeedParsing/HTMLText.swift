import CLibXML2
import Foundation
import GazetteModel

/// Plain text from feed HTML, for summaries and the text part of the email.
public enum HTMLText {
    /// Elements whose content is never text a reader should see.
    private static let invisible: Set<String> = ["script", "style", "noscript", "template", "iframe", "object", "svg", "head"]
    /// Elements that end a line of text.
    static let blocks: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure",
        "figcaption", "table", "tr", "td", "th", "section", "article", "header", "footer", "pre", "hr",
    ]

    /// The visible text of an HTML fragment, whitespace collapsed to single spaces.
    public static func plainText(fromHTML html: String) -> String {
        guard mayHoldMarkup(html) else { return collapsingWhitespace(html) }
        var html = html
        if let text = html.withUTF8(plainTextWithoutParsing) { return text }
        guard let tree = parseFragment(html), let root = tree.root else { return collapsingWhitespace(html) }
        return plainText(of: root)
    }

    /// `plainText(fromHTML:)` of HTML as the feed has it: a slice of the feed's bytes (an
    /// item's description, most often) is read in place, without making a `String` of it first.
    static func plainText(fromHTML html: FeedHTML) -> String {
        guard case .bytes(let data) = html,
            let text = data.withUnsafeBytes({ plainTextWithoutParsing($0.bindMemory(to: UInt8.self)) })
        else { return plainText(fromHTML: html.string) }
        return text
    }

    /// The plain text of UTF-8 HTML that holds no markup, or whose only markup is decimal
    /// character references (`textOfCharacterReferences`); nil for anything else, which is
    /// parsed.
    ///
    /// Why: every RSS description ends in "[&#8230;]", and its text was made in four passes and
    /// three copies (a `String` of the feed's bytes, the decoded bytes, a `String` of those,
    /// then `collapsingWhitespace` of it); here the references are decoded into one buffer and
    /// cleaned from it. `UntrustedText.clean(utf8:)` of valid UTF-8 is `collapsingWhitespace`
    /// of the same text (`ParsingShortcutsTests` holds them to it).
    static func plainTextWithoutParsing(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        // Two `memchr`s (vectorized) instead of a loop: the common description ends in
        // "[&#8230;]", so the `&` is found only after reading all of it.
        guard let base = bytes.baseAddress, memchr(base, 0x3C, bytes.count) != nil || memchr(base, 0x26, bytes.count) != nil
        else { return UntrustedText.clean(utf8: bytes) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        guard appendTextOfCharacterReferences(bytes, to: &output) else { return nil }
        return output.withUnsafeBufferPointer { UntrustedText.clean(utf8: $0) }
    }

    /// True when `html` has a `<` or `&`: without one it is text as it stands.
    static func mayHoldMarkup(_ html: String) -> Bool {
        // Two `memchr`s (vectorized) instead of a loop over `utf8`: the common description ends
        // in "[&#8230;]", so the `&` is found only after reading all of it.
        var html = html
        return html.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0x3C, bytes.count) != nil || memchr(base, 0x26, bytes.count) != nil
        }
    }

    /// The text of a fragment whose only markup is decimal character references ("more
    /// [&#8230;]", as WordPress ends every description), decoded as libxml2's HTML parser
    /// decodes them; nil for anything else, which is parsed. Such a fragment is one text node
    /// under `<body>`, so this is its text, and a parse per item is saved.
    static func textOfCharacterReferences(_ html: String) -> String? {
        var html = html
        return html.withUTF8 { bytes -> String? in
            var output: [UInt8] = []
            guard appendTextOfCharacterReferences(bytes, to: &output) else { return nil }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Appends `textOfCharacterReferences` of the bytes to `output`; false (and `output` left
    /// partly written) when they hold other markup.
    static func appendTextOfCharacterReferences(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) -> Bool {
        var index = 0
        var runStart = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while index < bytes.count {
            // Eight bytes at a time while none is one looked at below (most of any text).
            if index + 8 <= bytes.count, !mayBeMarkupOrControl(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = bytes[index]
            // No tags; no NUL or other control (libxml2 stops at one, drops it, or turns a CR into
            // a line feed); no U+FFFE or U+FFFF.
            if byte == UInt8(ascii: "<") || (byte < 0x20 && byte != 0x09 && byte != 0x0A) || byte == 0x7F {
                return false
            }
            if byte == 0xEF, index + 2 < bytes.count, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE { return false }
            guard byte == UInt8(ascii: "&") else {
                index += 1
                continue
            }
            // "&#" then one to seven digits then ";", naming a scalar that is plain text.
            var end = index + 2
            var value: UInt32 = 0
            guard end < bytes.count, bytes[index + 1] == UInt8(ascii: "#") else { return false }
            while end < bytes.count, end - index - 2 < 7, (0x30...0x39).contains(bytes[end]) {
                value = value * 10 + UInt32(bytes[end] - 0x30)
                end += 1
            }
            guard end > index + 2, end < bytes.count, bytes[end] == UInt8(ascii: ";"),
                value >= 0x20, !(0x7F...0x9F).contains(value), !(0xD800...0xDFFF).contains(value),
                value != 0xFFFE, value != 0xFFFF, value <= 0x10FFFF, let scalar = Unicode.Scalar(value)
            else { return false }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            appendUTF8(of: scalar, to: &output)
            index = end + 1
            runStart = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        return true
    }

    /// Whether any of eight bytes is `<`, `&`, a control character, DEL or 0xEF (which may
    /// start U+FFFE or U+FFFF): `appendTextOfCharacterReferences` looks at those one by one.
    /// Never false when one is there (the bit tricks of `mayNeedEscape`).
    @inline(__always)
    static func mayBeMarkupOrControl(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value }
        var found = (word &- ones &* 0x20) & ~word
        for byte: UInt64 in [0x3C, 0x26, 0x7F, 0xEF] { found |= zeroBytes(word ^ (ones &* byte)) }
        return found & 0x8080_8080_8080_8080 != 0
    }

    /// A scalar's UTF-8 bytes, without a `String` of its `Character` for each reference.
    @inline(__always)
    private static func appendUTF8(of scalar: Unicode.Scalar, to output: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case ..<0x80:
            output.append(UInt8(value))
        case ..<0x800:
            output.append(UInt8(0xC0 | value >> 6))
            output.append(UInt8(0x80 | value & 0x3F))
        case ..<0x1_0000:
            output.append(UInt8(0xE0 | value >> 12))
            output.append(UInt8(0x80 | value >> 6 & 0x3F))
            output.append(UInt8(0x80 | value & 0x3F))
        default:
            output.append(UInt8(0xF0 | value >> 18))
            output.append(UInt8(0x80 | value >> 12 & 0x3F))
            output.append(UInt8(0x80 | value >> 6 & 0x3F))
            output.append(UInt8(0x80 | value & 0x3F))
        }
    }

    /// A fragment parsed as the body of a document.
    static func parseFragment(_ html: String) -> XMLTree? {
        var data = Data()
        data.reserveCapacity(html.utf8.count + 27)
        data.append(contentsOf: "<html><body>".utf8)
        data.append(contentsOf: html.utf8)
        data.append(contentsOf: "</body></html>".utf8)
        return XMLTree.parseHTML(data, baseURL: nil)
    }

    /// The visible text under `root` (a parsed fragment's document element), collapsed.
    static func plainText(of root: XMLNode) -> String {
        var output: [UInt8] = []
        appendText(of: root, to: &output)
        return output.withUnsafeBufferPointer { UntrustedText.clean(utf8: $0) }
    }

    /// A summary of at most `limit` characters, cut at a word boundary with an ellipsis.
    public static func summary(fromHTML html: String, limit: Int = 400) -> String {
        truncate(plainText(fromHTML: html), to: limit)
    }

    /// Cuts text to at most `limit` characters at a word boundary, adding "…" when cut.
    public static func truncate(_ text: String, to limit: Int) -> String {
        // `count > limit` without counting every character of a long text.
        guard text.utf8.count > limit else { return text }
        // Counting `Character`s runs Unicode's grapheme rules on every scalar (5% of parsing a
        // feed, Hebrew summaries most): where each scalar is a character of its own, count scalars.
        if limit >= 1, let cut = prefixOfLoneScalars(text, limit: limit) {
            guard let cut else { return text }
            return truncated(cut)
        }
        guard let end = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex), end < text.endIndex
        else { return text }
        return truncated(text.prefix(limit - 1))
    }

    /// `truncate` by `Character`s throughout: what the scalar count must agree with (tests).
    static func truncateByCharacters(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit, let end = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex),
            end < text.endIndex
        else { return text }
        return truncated(text.prefix(limit - 1))
    }

    /// The first `limit - 1` characters cut back to a word boundary, with an ellipsis.
    private static func truncated(_ cut: Substring) -> String {
        let atWord = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return trimmingWhitespaceAndPunctuation(atWord) + "…"
    }

    /// When the first `limit + 2` scalars of `text` are each a character of their own: its
    /// first `limit - 1` characters if it has more than `limit`, else `.some(nil)` (no cut).
    /// nil when some scalar there may join its neighbour, and `Character`s must be counted.
    private static func prefixOfLoneScalars(_ text: String, limit: Int) -> Substring?? {
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        var cutEnd = scalars.startIndex
        var count = 0
        while index < scalars.endIndex, count < limit + 2 {
            guard isLoneScalar(scalars[index].value) else { return nil }
            count += 1
            index = scalars.index(after: index)
            if count == limit - 1 { cutEnd = index }
        }
        guard count > limit else { return .some(nil) }
        return .some(text[..<cutEnd])
    }

    /// Scalars that are always a `Character` of their own beside one another (Unicode's
    /// grapheme cluster rules, UAX #29): none is a carriage return (which joins a line
    /// feed), an extender, a joiner, a spacing mark, a prepended mark, a regional indicator,
    /// a Hangul jamo or syllable or an Indic letter. Latin text, Hebrew letters (not points)
    /// and common punctuation, which is nearly every summary.
    static func isLoneScalar(_ value: UInt32) -> Bool {
        switch value {
        case 0x0D: false
        case 0x00..<0x300: true  // the first extender is U+0300
        case 0x05BE, 0x05C0, 0x05C3, 0x05C6, 0x05D0...0x05EA, 0x05EF...0x05F4: true  // Hebrew letters and punctuation
        case 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20C0: true  // dashes, quotes, ellipsis, currency
        default: false
        }
    }

    /// Foundation's `trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))`
    /// (Unicode `P*` categories) without building the set and bridging for every item.
    static func trimmingWhitespaceAndPunctuation(_ text: Substring) -> String {
        func trimmed(_ scalar: Unicode.Scalar) -> Bool {
            if UntrustedText.isWhitespace(scalar) { return true }
            switch scalar.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                .finalPunctuation, .otherPunctuation:
                return true
            default:
                return false
            }
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !trimmed($0) }), let last = scalars.lastIndex(where: { !trimmed($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Escapes the five characters that are special in HTML text and attributes.
    ///
    /// Works over UTF-8 bytes (every special character is ASCII) and returns `text` itself
    /// when nothing needs escaping: it runs on every text node of every feed item. Byte by
    /// byte, not `Character` by `Character`, also for safety: a quote followed by a combining
    /// mark (`"` U+0301) is one `Character` that is not `"`, and would pass a Character-wise
    /// escaper raw, closing the attribute it is in (found by the feed parser's fuzz check).
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.contains(where: { escapeTable[Int($0)] != 0 }) else { return nil }
            var output: [UInt8] = []
            appendEscaped(bytes, to: &output, droppingControls: false)
            return String(decoding: output, as: UTF8.self)
        } ?? text
    }

    /// For each byte: 0 = kept, 1 = escaped (`&<>"'`), 2 = a control character `sanitize`
    /// drops (C0 but newline, DEL), 3 = the lead byte of a scalar that may be a C1 control,
    /// a bidi control or an annotation control.
    static let escapeTable: [UInt8] = (0...255).map { byte in
        switch byte {
        case 0x26, 0x3C, 0x3E, 0x22, 0x27: 1
        case 0x0A: 0
        case 0x00...0x1F, 0x7F: 2
        case 0xC2, 0xE2, 0xEF: 3
        default: 0
        }
    }

    /// Whether any of eight bytes is one `escapeTable` does not keep at once (`&<>"'`, a C0
    /// control, DEL, or 0xC2, 0xE2, 0xEF); line feeds are judged one by one too. Sanitized text
    /// is escaped as it is written, and a table lookup per byte was most of sanitizing plain
    /// markup. A byte equal to b is a zero byte of word ^ b, and a byte below 0x20 borrows into
    /// its top bit when 0x20 is taken from each byte.
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let tops: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value }
        var found = (word &- ones &* 0x20) & ~word
        for byte: UInt64 in [0x26, 0x3C, 0x3E, 0x22, 0x27, 0x7F, 0xC2, 0xE2, 0xEF] { found |= zeroBytes(word ^ (ones &* byte)) }
        return found & tops != 0
    }

    /// Appends `bytes` escaped as `escape` does; with `droppingControls`, also without the
    /// scalars `UntrustedText.isForbidden` names, newlines kept (sanitized text nodes).
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8], droppingControls: Bool) {
        output.reserveCapacity(output.count + bytes.count + 16)
        var index = 0
        var runStart = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while index < bytes.count {
            if index + 8 <= bytes.count, !mayNeedEscape(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
                continue
            }
            let kind = escapeTable[Int(bytes[index])]
            if kind == 0 || (kind > 1 && !droppingControls) {
                index += 1
                continue
            }
            var length = 1
            if kind == 3 {
                let (scalar, scalarLength) = UntrustedText.decode(bytes, at: index)
                guard UntrustedText.isForbidden(scalar) else {
                    index += scalarLength
                    continue
                }
                length = scalarLength
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            switch bytes[index] {
            case 0x26: output.append(contentsOf: "&amp;".utf8)
            case 0x3C: output.append(contentsOf: "&lt;".utf8)
            case 0x3E: output.append(contentsOf: "&gt;".utf8)
            case 0x22: output.append(contentsOf: "&quot;".utf8)
            case 0x27: output.append(contentsOf: "&#39;".utf8)
            default: break  // a dropped control
            }
            index += length
            runStart = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    }

    /// Appends the text of `node`'s descendants as UTF-8, straight from libxml2's bytes.
    private static func appendText(of node: XMLNode, to output: inout [UInt8]) {
        var next = node.pointer.pointee.children
        while let pointer = next {
            next = pointer.pointee.next
            if pointer.pointee.isText {
                guard let content = pointer.pointee.content else { continue }
                output.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
            } else if pointer.pointee.isElement {
                let child = XMLNode(pointer: pointer, tree: node.tree)
                let name = child.name.lowercased()
                if invisible.contains(name) { continue }
                if name == "img", let alt = child.attribute("alt"), !alt.isEmpty {
                    output.append(0x20)
                    output.append(contentsOf: alt.utf8)
                    output.append(0x20)
                }
                appendText(of: child, to: &output)
                if blocks.contains(name) { output.append(0x20) }
            }
        }
    }
}
