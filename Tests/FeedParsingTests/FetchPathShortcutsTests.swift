import CLibXML2
import Foundation
import Testing

@testable import FeedParsing
@testable import GazetteModel

/// The fetch path's shortcuts (whole words and blocks of bytes judged at once, texts made
/// from the feed's bytes without a `String` first, child elements gathered in one walk) must
/// give what the ways they replaced gave: each is held here to that way, on random text built
/// mostly from the bytes and characters the shortcuts look for.
@Suite struct FetchPathShortcutsTests {
    private static let pieces = [
        "plain text ", "word", " ", "  ", "\t", "\n", "\r\n", "שלום ", "עולם", "é", "&", "<", ">", "\"", "'", "&#8230;", "&#233;",
        "&#x41;", "&amp;", "&#0;", "&#1;", "&#65535;", "[&#8230;]", "\u{1}", "\u{7F}", "\u{85}", "\u{A0}", "…", "\u{202E}",
        "\u{2066}", "\u{FEFF}", "\u{FFF9}", "\u{301}", "\"\u{301}", "😀", "\u{1680}", "\u{3000}", "a\u{200D}b", "0123456789",
    ]

    private static func randomTexts(_ count: Int, maxPieces: Int = 40) -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...maxPieces, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
    }

    /// `UntrustedText.clean` as its definition reads: scalar by scalar.
    private static func cleanedScalarByScalar(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if UntrustedText.isWhitespace(scalar) {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if UntrustedText.isForbidden(scalar) { continue }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            scalars.append(scalar)
        }
        let cleaned = String(scalars)
        return UntrustedText.mayFuseMarkup(cleaned) ? UntrustedText.detachingMarkupCharacters(cleaned) : cleaned
    }

    @Test func cleaningReadsWordsAsItReadsBytes() {
        for text in Self.randomTexts(5_000) {
            let expected = Self.cleanedScalarByScalar(text)
            #expect(UntrustedText.clean(text) == expected, "\(text.debugDescription)")
            var bytes = text
            #expect(bytes.withUTF8 { UntrustedText.clean(utf8: $0) } == expected, "\(text.debugDescription)")
        }
    }

    @Test func plainWordsAreTheBytesCleaningPassesUnchanged() {
        var generator = SystemRandomNumberGenerator()
        let interesting: [UInt8] = [
            0x00, 0x09, 0x0A, 0x1F, 0x20, 0x21, 0x22, 0x26, 0x27, 0x3C, 0x3E, 0x41, 0x7E, 0x7F, 0x80, 0xC3, 0xD7, 0xFF,
        ]
        for _ in 0..<200_000 {
            let bytes = (0..<8).map { _ in
                Bool.random(using: &generator)
                    ? interesting.randomElement(using: &generator)! : UInt8.random(in: 0x20...0x7E, using: &generator)
            }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            for afterSpace in [false, true] {
                let plain =
                    bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
                    && !zip([afterSpace ? 0x20 : 0] + bytes, bytes).contains { $0 == 0x20 && $1 == 0x20 }
                #expect(UntrustedText.isPlainASCII(word, afterSpace: afterSpace) == plain, "\(bytes) \(afterSpace)")
            }
            let markupOrControl = bytes.contains { $0 < 0x20 || [0x3C, 0x26, 0x7F, 0xEF].contains($0) }
            if markupOrControl { #expect(HTMLText.mayBeMarkupOrControl(word), "\(bytes)") }
        }
    }

    @Test func trimmingKnowsVisibleEndsFromTheirBytes() {
        for text in Self.randomTexts(3_000, maxPieces: 6) {
            let scalars = text.unicodeScalars
            let first = scalars.firstIndex { !UntrustedText.isWhitespace($0) }
            let last = scalars.lastIndex { !UntrustedText.isWhitespace($0) }
            let expected = first.flatMap { first in last.map { String(scalars[first...$0]) } } ?? ""
            #expect(UntrustedText.trimmingWhitespace(text) == expected, "\(text.debugDescription)")
        }
    }

    /// The old way: a `String`, its references decoded into another, whitespace collapsed.
    private static func plainTextAsBefore(_ html: String) -> String? {
        guard HTMLText.mayHoldMarkup(html) else { return collapsingWhitespace(html) }
        return HTMLText.textOfCharacterReferences(html).map(collapsingWhitespace)
    }

    @Test func descriptionsReadFromTheFeedsBytesAsFromAString() {
        for html in Self.randomTexts(5_000) + ["", "<p>x</p>", "a &#8230;", "&#", "&#;", "&#12345678;", "x&"] {
            let fromString = HTMLText.plainText(fromHTML: html)
            #expect(HTMLText.plainText(fromHTML: FeedHTML.bytes(Data(html.utf8))) == fromString, "\(html.debugDescription)")
            #expect(HTMLText.plainText(fromHTML: FeedHTML.string(html)) == fromString, "\(html.debugDescription)")
            if let before = Self.plainTextAsBefore(html) { #expect(fromString == before, "\(html.debugDescription)") }
        }
    }

    @Test func utf8ValidationReadsBlocksAsItReadsCharacters() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("plain ascii text".utf8), Array("שלום".utf8), Array("é".utf8), Array("…".utf8),
            Array("😀".utf8),
            [0xD7], [0x90], [0xC1, 0x80], [0xC2], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xFF], [0xF4, 0x90, 0x80, 0x80],
        ]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                // Mostly valid text, so that a block of sixteen ends in every way.
                let index = Int.random(
                    in: 0..<(Int.random(in: 0..<8, using: &generator) == 0 ? pieces.count : 6), using: &generator)
                bytes += pieces[index]
            }
            let data = Data(bytes)
            #expect(FeedEncoding.isValidUTF8(data) == (String(validating: data, as: UTF8.self) != nil), "\(bytes)")
        }
    }

    /// A feed with every kind of child element lookup: names repeated, in and out of namespaces.
    private static let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:x="urn:x">
        <channel><title>T</title><link>https://example.test/</link>
        <item><title>One</title><dc:creator>A</dc:creator><dc:creator>B</dc:creator><x:title>X</x:title>
        <category domain="d">c1</category><!-- a comment --><category>c2</category><media:content url="u" medium="image"/>
        <description><![CDATA[<p>d</p>]]></description><guid isPermaLink="false">g</guid><link>https://example.test/1</link></item>
        <item><titl>no</titl><title2>no</title2><dc:date>2026-01-01</dc:date></item>
        </channel></rss>
        """

    @Test func childElementsAreTheOnesAWalkFinds() throws {
        let tree = try #require(XMLTree.parseStrictly(Data(Self.feed.utf8), baseURL: nil, validUTF8: true))
        let names = [
            "title", "creator", "category", "content", "description", "guid", "link", "date", "titl", "item", "channel",
            "nothing", "",
        ]
        let namespaces: [String?] = [nil, Namespace.dublinCore, Namespace.media, "urn:x", "urn:none"]
        var elements: [XMLNode] = []
        func walk(_ node: XMLNode) {
            elements.append(node)
            node.children.forEach(walk)
        }
        walk(try #require(tree.root))
        for element in elements {
            let gathered = ChildElements(of: element)
            for name in names {
                for namespace in namespaces {
                    #expect(
                        gathered.children(name, in: namespace).map(\.pointer)
                            == element.children(name, in: namespace).map(\.pointer))
                    #expect(gathered.child(name, in: namespace)?.pointer == element.child(name, in: namespace)?.pointer)
                }
            }
        }
    }

    @Test func attributesReadInPlaceAreLibxml2s() throws {
        let document = """
            <?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "entity">]>
            <r xmlns:x="urn:x"><a href="h" x:href="n" empty="" ref="a &amp; &e; b" chars="&#233;t&#xE9;" dup="1"/><b/>text</r>
            """
        let tree = try XMLTree.parseXML(Data(document.utf8), baseURL: nil)
        let root = try #require(tree.root)
        for node in root.childNodes + [root] {
            for name in ["href", "empty", "ref", "chars", "dup", "missing", "x:href"] {
                let expected = xmlGetProp(node.pointer, name).map { value in
                    defer { gz_xml_free(value) }
                    return String(cString: value)
                }
                #expect(node.attribute(name) == expected, "\(node.name) \(name)")
            }
        }
    }
}
