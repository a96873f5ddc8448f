import Foundation
import Testing

@testable import FeedParsing

/// The parser's fast paths (for speed: issue #18) must read exactly what the general code
/// they stand in front of reads; these compare the two on the forms each shortcut takes
/// and on near misses it must leave alone.
@Suite struct ParsingShortcutsTests {
    @Test(arguments: [
        "Thu, 26 Nov 2026 07:00:00 +0000", "Thu, 26 Nov 2026 09:30:00 +0230", "Mon, 1 Dec 2025 23:59:59 -1100",
        "Sun, 29 Feb 2032 00:00:00 GMT", "Sat, 05 Jan 2030 12:00:00 UTC", "Fri, 05 Jan 2030 12:00:00 UT",
        "Wed, 31 Dec 1999 24:00:00 Z", "Tue, 31 Dec 2024 12:00:60 +0000",
    ])
    func theRFC1123ShortcutReadsWhatTheTokenizerReads(_ text: String) throws {
        let shortcut = try #require(FeedDate.rfc1123(text))
        #expect(shortcut == FeedDate.tokenizedRFC822(text))
    }

    @Test(arguments: [
        "Thu, 31 Nov 2026 07:00:00 +0000", "Thu, 26 Nov 2026 07:00:00 EST", "Thu, 26 Nov 2026 07:00:00 +02:00",
        "Thu,26 Nov 2026 07:00:00 GMT", "Jan, 26 Nov 2026 07:00:00 GMT", "thu, 26 nov 2026 07:00:00 gmt",
        "Thu, 26 Nov 26 07:00:00 GMT", "Thu, 26 Nov 2026 7:00:00 GMT", "Thu, 26 Nov 2026 07:00 GMT",
        "Thu, 26 Nov 2026 07:00:00 +0000 (UTC)", "Thu, 26  Nov 2026 07:00:00 GMT", "Thu, 26 Nov 0999 07:00:00 GMT",
    ])
    func theRFC1123ShortcutLeavesOtherFormsToTheTokenizer(_ text: String) {
        #expect(FeedDate.rfc1123(text) == nil || FeedDate.rfc1123(text) == FeedDate.tokenizedRFC822(text))
        #expect(FeedDate.rfc822(text) == FeedDate.tokenizedRFC822(text))
    }

    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var cases: [[UInt8]] = []
        for first in 0x80...0xFF {
            for second in stride(from: 0, through: 0xFF, by: 1) { cases.append([UInt8(first), UInt8(second)]) }
            for second in [0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0] {
                for third in [0x7F, 0x80, 0xBF, 0xC0] {
                    cases.append([UInt8(first), UInt8(second), UInt8(third)])
                    cases.append([UInt8(first), UInt8(second), UInt8(third), 0x80])
                    cases.append([UInt8(first), UInt8(second), UInt8(third), 0xC0])
                }
            }
        }
        cases += [Array("שלום, world".utf8), [0xEF, 0xBB, 0xBF], Array("plain ascii".utf8), []]
        for bytes in cases {
            // Alone, and after a run of ASCII long enough to take the eight-bytes-at-a-time path.
            for data in [Data(bytes), Data(Array("<?xml version='1.0'?>".utf8) + bytes + Array("<rss/>".utf8))] {
                #expect(FeedEncoding.isValidUTF8(data) == (String(validating: data, as: UTF8.self) != nil), "\(bytes)")
            }
        }
    }

    @Test(arguments: [
        #"<?xml version="1.0" encoding="UTF-8"?><rss/>"#, "<?xml version='1.0' encoding='windows-1255'?>",
        #"<?xml version="1.0" encoding = "ISO-8859-8" standalone="yes"?>"#, #"<?xml version="1.0"?><x encoding="utf-8"/>"#,
        #"<?xml version="1.0" encoding=utf-8?>"#, #"<?xml version="1.0" encoding="utf-8"#, #" <?xml encoding="utf-8"?>"#,
        "<?xml encoding=\"L\u{C9}T\"?>", #"<?xml encoding="unclosed?>"#, "<?xml?>", "", "<?xm",
    ])
    func declaredEncodingReadsBytesAsTheLatin1TextReaderDid(_ head: String) {
        let data = Data(head.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        #expect(FeedEncoding.declaredEncoding(data) == FeedEncoding.declaredEncodingOfText(data))
    }

    @Test func declaredEncodingFindsTheName() {
        #expect(FeedEncoding.declaredEncoding(Data("<?xml version='1.0' encoding='Windows-1255'?>".utf8)) == "windows-1255")
    }

    /// A fragment whose only markup is character references is decoded without a parse; the
    /// same fragment behind an empty comment (which nothing keeps) takes libxml2's parse.
    @Test(arguments: [
        "Talks resume after a pause [&#8230;]", "  &#8220;Quoted&#8221;\n\tand &#1513;&#1500;&#1493;&#1501; ",
        "&#128512;", "a > b &#38; c", "&#8230;", "tab\there &#8230;", "&#32;&#160;&#65279;", "x &#x2026; y", "x &#8230 y",
        "&#0;", "&#127;", "&#150;", "&#55296;", "&#65534;", "&#1114112;", "&#99999999;", "AT&T", "&amp;", "a\rb &#8230;",
        "a\u{1}b &#8230;", "\u{FFFF} &#8230;",
        "&#", "&#;", "trailing &", "<b>bold</b> &#8230;",
    ])
    func characterReferenceFragmentsReadAsLibxml2ReadsThem(_ html: String) {
        let parsed = "<!---->" + html
        #expect(HTMLText.plainText(fromHTML: html) == HTMLText.plainText(fromHTML: parsed))
        #expect(HTMLSanitizer.sanitize(html) == HTMLSanitizer.sanitize(parsed))
        #expect(HTMLSanitizer.sanitizeWithText(html, baseURL: nil) == HTMLSanitizer.sanitizeWithText(parsed, baseURL: nil))
    }

    @Test func theCommonDescriptionTakesTheShortcut() {
        #expect(HTMLText.textOfCharacterReferences("more [&#8230;]") == "more […]")
        #expect(HTMLText.textOfCharacterReferences("<p>more</p>") == nil)
    }
}
