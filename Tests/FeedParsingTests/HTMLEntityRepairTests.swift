import Foundation
import Testing
@testable import FeedParsing

@Suite struct HTMLEntityRepairTests {
    private func repaired(_ xml: String) -> String? {
        HTMLEntityRepair.repair(Data(xml.utf8)).map { String(decoding: $0.data, as: UTF8.self) }
    }

    @Test func aDocumentWithoutHTMLEntitiesIsNotCopied() {
        #expect(repaired("<t>a &amp; b &lt;i&gt; &#233; &#xE9; &quot;&apos;</t>") == nil)
        #expect(repaired("<t>no ampersand at all</t>") == nil)
    }

    @Test func namedEntitiesBecomeNumericReferences() {
        #expect(repaired("<t>caf&eacute;&nbsp;&fjlig;</t>") == "<t>caf&#xE9;&#xA0;&#x66;&#x6A;</t>")
    }

    @Test func bareAndUnknownAmpersandsAreKeptAsText() throws {
        let repair = try #require(HTMLEntityRepair.repair(Data("<t>?a=1&b=2 &bogus; AT&T & Sons</t>".utf8)))
        #expect(String(decoding: repair.data, as: UTF8.self) == "<t>?a=1&amp;b=2 &amp;bogus; AT&amp;T &amp; Sons</t>")
        #expect(repair.escapedAmpersands == 4)
        #expect(repair.decodedNames.isEmpty)
    }

    @Test func cdataCommentsAndDeclaredEntitiesAreLeftAlone() {
        let xml = "<!DOCTYPE t [<!ENTITY eacute \"E\">]><t><![CDATA[&nbsp;]]><!-- &hellip; -->&eacute;</t>"
        #expect(repaired(xml) == nil)
        #expect(repaired("<t><![CDATA[&nbsp;]]>&nbsp;</t>") == "<t><![CDATA[&nbsp;]]>&#xA0;</t>")
    }

    @Test func theGeneratedTableHasTheWholeHTML5List() {
        #expect(HTMLEntityRepair.references.count == 2_125)
        #expect(HTMLEntityRepair.references["rsquo"] == Array("&#x2019;".utf8))
        #expect(HTMLEntityRepair.references["hellip"] == Array("&#x2026;".utf8))
    }

    @Test func utf16DocumentsAreNotTouched() {
        var data = Data([0xFF, 0xFE])
        data.append("<t>&eacute;</t>".data(using: .utf16LittleEndian) ?? Data())
        #expect(!FeedEncoding.isASCIICompatible(data, encoding: nil))
        #expect(FeedEncoding.isASCIICompatible(Data("<t>&eacute;</t>".utf8), encoding: "iso-8859-1"))
    }
}
