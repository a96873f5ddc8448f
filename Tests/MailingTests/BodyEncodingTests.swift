import Foundation
import Testing

@testable import Mailing

@Suite struct BodyEncodingTests {
    /// Foundation's base64, cut into lines of 76 characters: what `base64Bytes` must give.
    static func reference(_ bytes: [UInt8]) -> String {
        var encoded = Substring(Data(bytes).base64EncodedString())
        var lines: [Substring] = []
        while !encoded.isEmpty {
            lines.append(encoded.prefix(76))
            encoded = encoded.dropFirst(76)
        }
        return lines.joined(separator: "\r\n")
    }

    @Test func base64LinesMatchFoundationsBase64() {
        var random = SystemRandomNumberGenerator()
        var inputs: [[UInt8]] = (0..<200).map { count in (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }
        inputs.append((0..<100_003).map { _ in UInt8.random(in: 0...255, using: &random) })
        inputs.append(Array(repeating: 0xFF, count: 57 * 4))
        for bytes in inputs {
            #expect(
                String(decoding: BodyEncoding.base64Bytes(bytes), as: UTF8.self) == Self.reference(bytes), "\(bytes.count) bytes")
        }
    }
}

/// Each part goes as the smaller of quoted-printable and base64, and the size budget's
/// counts are the lengths `encode` writes.
@Suite struct BodyEncodingChoiceTests {
    @Test func theSmallerEncodingIsChosen() {
        // English: QP is near the raw size.
        let english = String(repeating: "Ankara lobbies Washington for a place in the force. ", count: 40)
        #expect(BodyEncoding.encode(english).name == "quoted-printable")
        // Hebrew: QP writes each byte of a letter as =XX, three times base64's share.
        let hebrew = String(repeating: "אנקרה פועלת בוושינגטון כדי לקבל מקום בכוח. ", count: 40)
        #expect(BodyEncoding.encode(hebrew).name == "base64")
        // HTML whose Hebrew is a sixth of its bytes: the old rule (base64 past 20% non-ASCII)
        // sent QP, 30% larger than base64 here, because every `=` of an attribute is =3D too.
        let html = String(
            repeating:
                "<td style=\"padding:0\" dir=\"rtl\" lang=\"he\" class=\"gz-text\"><a href=\"https://a.test/?a=1&b=2\">שיחות קהיר</a></td>\n",
            count: 40)
        let bytes = Array(html.utf8)
        #expect(bytes.count { $0 >= 0x80 } * 5 < bytes.count)  // under 20% non-ASCII
        let size = BodyEncoding.encodedSize(html)
        #expect(size.base64 < size.quotedPrintable)
        #expect(BodyEncoding.encode(html).name == "base64")
        #expect(BodyEncoding.encode(html).body.utf8.count == size.bytes)
    }

    @Test func encodedSizesAreTheLengthsWritten() {
        var random = SystemRandomNumberGenerator()
        let pieces = ["a", " ", "=", ".", "From ", "\n", "\r\n", "ש", "東", "\t", "é", String(repeating: "x", count: 80)]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...60, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }
                .joined()
            let bytes = BodyEncoding.crlfBytes(text)
            #expect(
                BodyEncoding.quotedPrintableLength(bytes) == BodyEncoding.quotedPrintableBytes(bytes).count,
                "\(text.debugDescription)")
            #expect(BodyEncoding.base64Length(bytes.count) == BodyEncoding.base64Bytes(bytes).count)
            let size = BodyEncoding.encodedSize(text)
            let (name, body) = BodyEncoding.encode(text)
            #expect(body.utf8.count == size.bytes)
            #expect(name == (size.isBase64 ? "base64" : "quoted-printable"))
        }
    }
}

@Suite struct HeaderFoldingTests {
    /// Printable ASCII folds by bytes exactly as any text folds by characters.
    @Test func asciiFoldsAsCharactersFold() {
        var random = SystemRandomNumberGenerator()
        let pieces = [
            "List-Unsubscribe:", "<https://news.sample.test/unsubscribe?token=v1.7.daily.AAAA>,", "a", "", "=?x?=",
            String(repeating: "w", count: 80), "\"Quoted\"", "<mailto:d@s.test?subject=unsubscribe%20v1>",
        ]
        for _ in 0..<3_000 {
            let line = (0..<Int.random(in: 1...14, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }
                .joined(separator: " ")
            #expect(HeaderEncoding.fold(line) == HeaderEncoding.foldCharacters(line), "\(line)")
        }
    }
}

@Suite struct TextWrapperASCIITests {
    /// Printable ASCII wraps by bytes exactly as any text wraps by characters.
    @Test func asciiLinesWrapAsCharactersWrap() {
        var random = SystemRandomNumberGenerator()
        let pieces = [
            "Unsubscribe:", "https://news.sample.test/unsubscribe?token=v1.7.daily.AAAAAAAAAAAAAAAAAAAAAA", "a", "", " ",
            "word", "reader+digest@gazette.test.", String(repeating: "w", count: 72), "[12]", "From", ".",
        ]
        for _ in 0..<5_000 {
            let indent = String(repeating: " ", count: Int.random(in: 0...6, using: &random))
            let line =
                indent
                + (0..<Int.random(in: 1...16, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }
                .joined(separator: " ")
            for width in [20, 72] {
                #expect(
                    TextWrapper.wrapASCIILine(Substring(line), width: width)
                        == TextWrapper.wrapCharacters(Substring(line), width: width)
                        || line.utf8.count <= width, "\(line)")
            }
        }
    }
}

@Suite struct DigestLinksFillingTests {
    @Test(arguments: [
        "https://news.sample.test/unsubscribe?token={token}", "https://x.test/{token}/{token}?t={token}", "https://x.test/none",
        "{token}", "{token", "https://x.test/{{token}}", "https://x.test/ünsubscribe?t={token}", "",
    ])
    func fillsAsReplacingOccurrences(template: String) {
        for token in ["v1.7.daily.AAAA-_", "", "{token}"] {
            #expect(DigestLinks.filled(template, token: token) == template.replacingOccurrences(of: "{token}", with: token))
        }
    }
}
