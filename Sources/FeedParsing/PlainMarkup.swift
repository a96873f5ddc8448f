import Foundation

/// Sanitizes an HTML fragment in one pass over its bytes, without libxml2, when its markup is
/// plain enough that the tree libxml2's HTML parser would build is the one the tags spell out.
///
/// Why: `gazette parse-feed` sanitizes every item's content, and libxml2's HTML parser (it
/// reads a character at a time, builds a tree, and the sanitizer then walks and frees it) was
/// most of its time. A WordPress item's content is paragraphs, links, images and quotes,
/// each tag closed where it is opened; for such a fragment the parser's tree is the nesting
/// of its tags, so the sanitizer's output can be written straight from them.
///
/// "Plain" is decided here and anything else gives nil, and the caller parses the fragment
/// with libxml2 as before: a tag this scan does not know (tables, forms, scripts, `html`),
/// a start tag libxml2 would let close the open element (`<p>` in a `<p>`: its
/// `htmlStartClose` pairs), an end tag that is not the open element's, an element left open,
/// a comment, a doctype or a `<` that starts no tag, an entity other than five named ones and
/// decimal references libxml2 reads as the character they name, an unquoted, valueless or
/// repeated attribute, a control character (carriage return included: libxml2 may fold
/// line ends) or U+FFFE/U+FFFF, and nesting deeper than `maxDepth`.
/// `PlainMarkupTests` compares the output with libxml2's path on every fixture and on
/// thousands of generated fragments.
enum PlainMarkup {
    /// The sanitized HTML (untrimmed) and, with `withText`, the fragment's visible text as
    /// `HTMLText.plainText(of:)` gathers it (uncleaned); nil when the fragment is not plain.
    static func sanitize(_ bytes: UnsafeBufferPointer<UInt8>, baseURL: String?, withText: Bool)
        -> (html: [UInt8], text: [UInt8])?
    {
        var scanner = Scanner(bytes: bytes, baseURL: baseURL, withText: withText)
        guard scanner.run() else { return nil }
        return (scanner.html, scanner.text)
    }

    /// Deeper nesting is left to libxml2's path (the sanitizer flattens past 200 levels).
    static let maxDepth = 64

    /// The elements this scan knows: all are kept by the sanitizer (`HTMLSanitizer.allowed`),
    /// none is one libxml2 parses specially (raw text, `html`/`head`/`body`, tables, forms).
    static let elements: [String] = [
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "time", "u", "ul",
    ]

    /// Elements libxml2 ends as soon as they start (`empty` in its element table).
    static let voidElements: Set<String> = ["br", "hr", "img"]

    /// libxml2's `htmlStartClose` pairs among `elements`: a start tag of the second closes
    /// an open element of the first. Such a fragment is left to libxml2.
    static let startCloses: Set<String> = {
        var pairs: Set<String> = ["a a", "b p", "dd dt", "dl li", "dt dd", "dt dl", "i p", "li li", "s p", "small p", "u p"]
        for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
            for closer in ["li", "p"] { pairs.insert("\(heading) \(closer)") }
        }
        for closer in [
            "blockquote", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "ul",
        ] {
            pairs.insert("p \(closer)")
        }
        for closer in ["dd", "dl", "dt", "li", "ul"] { pairs.insert("pre \(closer)") }
        pairs.insert("ul pre")
        return pairs
    }()

    /// What the scan needs of each known element, by its index in `elements`.
    struct Element {
        let name: String
        let nameBytes: [UInt8]
        /// The attributes the sanitizer keeps on it (`HTMLSanitizer.allowed` and the common
        /// ones), as `key`s: none is longer than eight bytes.
        let attributeKeys: [UInt64]
        let isVoid: Bool
        /// Ends a line of text (`HTMLText`'s blocks).
        let isBlock: Bool
        /// Indices of the elements whose start tag closes this one.
        let closedBy: Set<Int>
    }

    static let table: [Element] = elements.map { name in
        let attributes = (HTMLSanitizer.allowed[name] ?? []).union(HTMLSanitizer.commonAttributes)
        return Element(
            name: name, nameBytes: Array(name.utf8), attributeKeys: attributes.map { key(Array($0.utf8)[...]) },
            isVoid: voidElements.contains(name), isBlock: HTMLText.blocks.contains(name),
            closedBy: Set(elements.indices.filter { startCloses.contains("\(name) \(elements[$0])") }))
    }

    /// The elements by the `key` of their name.
    static let elementsByKey: [UInt64: Int] = Dictionary(
        uniqueKeysWithValues: table.indices.map { (key(table[$0].nameBytes[...]), $0) })

    /// The keys of the attributes whose values are URLs (`HTMLSanitizer.urlAttributes`).
    static let urlKeys: [UInt64] = HTMLSanitizer.urlAttributes.map { key(Array($0.utf8)[...]) }
    static let srcKey = key(Array("src".utf8)[...])
    static let imgIndex = elements.firstIndex(of: "img") ?? -1
    static let altKey = key(Array("alt".utf8)[...])

    /// A name's first eight bytes, lower-cased, in one number: names are told apart without
    /// making a `String` of each (a name longer than eight bytes is then checked whole).
    static func key<Bytes: Collection<UInt8>>(_ name: Bytes) -> UInt64 {
        var key: UInt64 = 0
        for (offset, byte) in name.prefix(8).enumerated() { key |= UInt64(byte | 0x20) << (8 * UInt64(offset)) }
        return key
    }

    /// For each byte of text: 0 plain, 1 `<`, 2 `&`, 3 never plain (a control but tab and
    /// line feed, DEL), 4 the lead byte of U+FFFE and U+FFFF.
    static let textClass: [UInt8] = (0...255).map { byte in
        switch byte {
        case 0x3C: 1
        case 0x26: 2
        case 0x09, 0x0A: 0
        case 0x00...0x1F, 0x7F: 3
        case 0xEF: 4
        default: 0
        }
    }

    /// Whether any of eight bytes of text is one `textClass` does not pass as plain at once:
    /// `<`, `&`, a C0 control, DEL or 0xEF (tab and line feed, plain, are judged one by one
    /// too). Text is most of a fragment, and a table lookup per byte was most of the scan. A
    /// byte equal to b is a zero byte of word ^ b, and a byte below 0x20 borrows into its top
    /// bit when 0x20 is taken from each byte.
    @inline(__always)
    static func mayEndText(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let tops: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & tops != 0 }
        return hasZeroByte(word ^ (ones &* 0x3C)) || hasZeroByte(word ^ (ones &* 0x26)) || hasZeroByte(word ^ (ones &* 0x7F))
            || hasZeroByte(word ^ (ones &* 0xEF)) || (word &- ones &* 0x20) & ~word & tops != 0
    }

    /// The five named entities read here, as libxml2's HTML 4 table decodes them.
    static let namedEntities: [(name: [UInt8], value: [UInt8])] = [
        (Array("amp".utf8), [0x26]), (Array("lt".utf8), [0x3C]), (Array("gt".utf8), [0x3E]),
        (Array("quot".utf8), [0x22]), (Array("nbsp".utf8), [0xC2, 0xA0]),
    ]
}
