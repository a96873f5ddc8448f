import CLibXML2
import Foundation
import Testing

@testable import FeedParsing

/// The strict parse that skips CDATA content (`CDATASections`) must build the tree the parse
/// of the whole feed builds, and must succeed only where that one does: compared here on
/// every fixture, on the forms a section takes and the markup around it that could hide or
/// fake one, and on many mutations of a WordPress feed.
@Suite struct CDATASectionsTests {
    /// What the feed-reading code sees of a document both ways: nil, or the serialized tree.
    private func bothWays(_ data: Data, encoding: String? = nil) -> (stripped: String?, whole: String?, strippedWasUsed: Bool) {
        let stripped = XMLTree.parseStrippingCDATA(data, baseURL: "https://example.test/feed/", encoding: encoding)
        let whole = XMLTree.parseStrictly(data, baseURL: "https://example.test/feed/", encoding: encoding, validUTF8: false)
        let either = XMLTree.parseStrictly(data, baseURL: "https://example.test/feed/", encoding: encoding, validUTF8: true)
        #expect((either == nil) == (whole == nil), "the strict parse's verdict changed")
        return (either?.serialized, whole?.serialized, stripped != nil)
    }

    /// Every element of a tree in document order, walked without the accessors that would
    /// write virtual texts into it.
    private func elements(of tree: XMLTree) -> [XMLNode] {
        var result: [XMLNode] = []
        func walk(_ first: xmlNodePtr?) {
            var next = first
            while let node = next {
                next = node.pointee.next
                guard node.pointee.type == XML_ELEMENT_NODE else { continue }
                result.append(XMLNode(pointer: node, tree: tree))
                walk(node.pointee.children)
            }
        }
        walk(tree.document.pointee.children)
        return result
    }

    /// Elements whose text stayed in the feed (`VirtualText`) read it as the whole parse's
    /// tree has it; how many there were.
    @discardableResult
    private func expectSameVirtualTexts(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        guard let stripped = XMLTree.parseStrippingCDATA(data, baseURL: nil, encoding: nil),
            let whole = XMLTree.parseStrictly(data, baseURL: nil, validUTF8: false)
        else { return 0 }
        let strippedElements = elements(of: stripped)
        let wholeElements = elements(of: whole)
        #expect(strippedElements.count == wholeElements.count, sourceLocation: sourceLocation)
        var virtual = 0
        for (element, wholeElement) in zip(strippedElements, wholeElements) where element.virtualTextBytes != nil {
            virtual += 1
            #expect(element.text == wholeElement.text, sourceLocation: sourceLocation)
            #expect(element.html.string == wholeElement.text, sourceLocation: sourceLocation)
            #expect(wholeElement.virtualTextBytes == nil, sourceLocation: sourceLocation)
        }
        return virtual
    }

    private func expectSameTree(_ text: String, stripped expected: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation)
    {
        let data = Data(text.utf8)
        expectSameVirtualTexts(data, sourceLocation: sourceLocation)
        let result = bothWays(data)
        #expect(result.stripped == result.whole, "\(text)", sourceLocation: sourceLocation)
        if let expected { #expect(result.strippedWasUsed == expected, "\(text)", sourceLocation: sourceLocation) }
    }

    @Test func everyFixtureReadsTheSame() throws {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        for name in names where name.hasSuffix(".xml") || name.hasSuffix(".rdf") {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            guard FeedEncoding.isValidUTF8(data) else { continue }
            let result = bothWays(data)
            #expect(result.stripped == result.whole, "\(name)")
            expectSameVirtualTexts(data)
        }
    }

    @Test func aWordPressFeedTakesTheShortcut() throws {
        let url = try #require(
            Bundle.module.url(forResource: "rss20-wordpress.xml", withExtension: nil, subdirectory: "Fixtures"))
        let data = try Data(contentsOf: url)
        let result = bothWays(data)
        #expect(result.strippedWasUsed)
        #expect(result.stripped != nil && result.stripped == result.whole)
        #expect(bothWays(data, encoding: "utf-8").strippedWasUsed)
        #expect(expectSameVirtualTexts(data) > 0)
    }

    @Test(arguments: [
        "<r><a><![CDATA[x]]></a></r>", "<r><a><![CDATA[]]></a><b><![CDATA[x]]></b></r>", "<r><a>x<![CDATA[y]]>z</a></r>",
        "<r><a><![CDATA[a]]><![CDATA[b]]></a><b>  <![CDATA[<p>c</p>]]>  </b></r>",
        "<r><a><![CDATA[ends ]]]></a></r>", "<r><a><![CDATA[]] ]> ]]]]></a></r>",
        "<r><a><![CDATA[<!-- not a comment --> <?not a pi?> <![CDATA[ not nested]]></a></r>",
        "<r><a><![CDATA[&amp; &#1; &undeclared; <b>]]></a></r>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r>\n\t<a><![CDATA[שלום עולם 😀]]></a>\n</r>\n",
        "<r a=\"x > y\" b='>'><a><![CDATA[x]]></a></r>",
    ])
    func sectionsReadTheSame(_ text: String) {
        expectSameTree(text, stripped: true)
    }

    @Test(arguments: [
        "<r><!-- <![CDATA[ --><a><![CDATA[x]]></a><!-- ]]> --></r>",
        "<r><?pi <![CDATA[ ?><a><![CDATA[x]]></a><?pi ]]> ?></r>",
        "<!-- <![CDATA[ x ]]> --><r><a><![CDATA[x]]></a></r>",
        "<r><a><![CDATA[line\r\nend]]></a><b><![CDATA[other]]></b></r>",
        "<r><a><![CDATA[lone\rcarriage]]></a></r>", "<r><a><![CDATA[]]></a></r>",
    ])
    func markupAroundSectionsReadsTheSame(_ text: String) {
        expectSameTree(text)
    }

    @Test(arguments: [
        "<!DOCTYPE r [<!ENTITY e \"<![CDATA[x]]>\">]><r><a><![CDATA[x]]></a>&e;</r>",
        "<r><a><![CDATA[control \u{1} here]]></a></r>", "<r><a><![CDATA[\u{FFFE}]]></a></r>",
        "<r><a><![CDATA[\u{FFFF}]]></a></r>",
        "<r><a><![CDATA[unclosed</a></r>", "<r><a b=\"<![CDATA[\">x</a><c>]]></c></r>",
        "<r><a b=\"<![CDATA[x]]>\"/></r>", "<![CDATA[before]]><r/>", "<r/><![CDATA[after]]>", "<r><a><![CDATA[x]]></b></r>",
        "<r><a><![CDATA[x]]>&eacute;</a></r>", "<r><!-- unclosed <a><![CDATA[x]]></a></r>",
        "<r><?pi unclosed <a><![CDATA[x]]></a></r>",
        "<r><a><![CDATA[x]]></a>", "<r><a><![CDATA[x]]></a></r> trailing", "<r><a><![CDATA[x]]></a><!-- a -- b --></r>",
        "<r><a><![cdata[x]]></a></r>", "<r><a><![CDATA x]]></a></r>", "<r><a>]]></a><b><![CDATA[x]]></b></r>",
    ])
    func illFormedOrUnusualDocumentsReadTheSame(_ text: String) {
        expectSameTree(text)
    }

    /// A WordPress feed with random snippets dropped in at random places: whatever the two
    /// parses make of it, they make the same.
    @Test func mutatedFeedsReadTheSame() throws {
        let url = try #require(
            Bundle.module.url(forResource: "rss20-wordpress.xml", withExtension: nil, subdirectory: "Fixtures"))
        let original = Array(try Data(contentsOf: url))
        let snippets = [
            "<![CDATA[", "]]>", "]]", "<!--", "-->", "<?", "?>", "<!DOCTYPE x>", "\r", "\r\n", "\u{1}", "\u{FFFE}", "<", ">",
            "&", "&eacute;", "<![CDATA[x]]>", "<![CDATA[\r]]>", "\"", "<a>", "</a>", "é", "\u{0}",
        ]
        var generator = SeededGenerator(seed: 18)
        var strippedCount = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let snippet = Array(snippets.randomElement(using: &generator)!.utf8)
                bytes.insert(contentsOf: snippet, at: Int.random(in: 0...bytes.count, using: &generator))
            }
            let data = Data(bytes)
            guard FeedEncoding.isValidUTF8(data) else { continue }
            let result = bothWays(data)
            #expect(result.stripped == result.whole, "\(String(decoding: bytes, as: UTF8.self))")
            expectSameVirtualTexts(data)
            if result.strippedWasUsed { strippedCount += 1 }
        }
        #expect(strippedCount > 50)
    }
}

/// A small deterministic generator (SplitMix64), so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
