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

/// The pointer-writing encoders against plain loops written from the rules they follow.
@Suite struct BodyEncodingLoopTests {
    /// RFC 2045 quoted-printable as `BodyEncoding` documents it, one append at a time.
    static func plainQuotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var lineLength = 0
        let hex = Array("0123456789ABCDEF".utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                out += [0x0D, 0x0A]
                lineLength = 0
                index += 2
                continue
            }
            let atLineEnd = index + 1 == bytes.count || bytes[index + 1] == 0x0D
            let atLineStart = lineLength == 0
            let encode =
                byte == 0x3D || byte >= 0x7F || (byte < 0x20 && byte != 0x09) || ((byte == 0x20 || byte == 0x09) && atLineEnd)
                || (atLineStart && byte == 0x2E) || (atLineStart && bytes[index...].starts(with: Array("From ".utf8)))
            let width = encode ? 3 : 1
            if lineLength + width > 75 {
                out += Array("=\r\n".utf8)
                lineLength = 0
            }
            out += encode ? [0x3D, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]] : [byte]
            lineLength += width
            index += 1
        }
        return out
    }

    static func randomText(_ random: inout SystemRandomNumberGenerator) -> String {
        let pieces = [
            "a", " ", "\t", "=", ".", "From ", "F", "\n", "\r\n", "\r", "ש", "東", "é", "\u{1F600}", "\u{0}", "\u{7F}",
            String(repeating: "x", count: 80), String(repeating: "=", count: 30), String(repeating: "ש", count: 40),
        ]
        return (0..<Int.random(in: 0...50, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
    }

    @Test func quotedPrintableIsThePlainLoops() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let text = Self.randomText(&random)
            for bytes in [BodyEncoding.crlfBytes(text), Array(text.utf8)] {
                #expect(BodyEncoding.quotedPrintableBytes(bytes) == Self.plainQuotedPrintable(bytes), "\(text.debugDescription)")
            }
        }
        #expect(BodyEncoding.quotedPrintableBytes([]) == [])
    }

    @Test func crlfBytesIsThePlainLoop() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let text = Self.randomText(&random)
            var plain: [UInt8] = []
            var previous: UInt8 = 0
            for byte in text.utf8 {
                if byte == 0x0A, previous != 0x0D { plain.append(0x0D) }
                if byte != 0x0A, previous == 0x0D { plain.append(0x0A) }
                plain.append(byte)
                previous = byte
            }
            if previous == 0x0D { plain.append(0x0A) }
            #expect(BodyEncoding.crlfBytes(text) == plain, "\(text.debugDescription)")
        }
    }

    /// Reading UTF-8 by byte gives the scalar test's answer, at each edge of its ranges.
    @Test func surelyNFCByBytesIsByScalars() {
        let edges: [UInt32] = [
            0x41, 0x7F, 0x80, 0xE9, 0x2FF, 0x300, 0x301, 0x5BD, 0x5BE, 0x5BF, 0x5C0, 0x5C3, 0x5C6, 0x5CF, 0x5D0, 0x5F4, 0x5F5,
            0x7FF, 0x800, 0x200F, 0x2010, 0x2027, 0x2028, 0x2030, 0x205E, 0x205F, 0x20AC, 0x20AD, 0xFB2A, 0xFFFD, 0x1F600,
        ]
        func byScalars(_ text: String) -> Bool {
            text.unicodeScalars.allSatisfy { scalar in
                switch scalar.value {
                case 0..<0x300, 0x5BE, 0x5C0, 0x5C3, 0x5C6, 0x5D0...0x5F4, 0x2010...0x2027, 0x2030...0x205E, 0x20AC: true
                default: false
                }
            }
        }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = String(
                String.UnicodeScalarView(
                    (0..<Int.random(in: 0...6, using: &random)).compactMap { _ in Unicode.Scalar(edges.randomElement(using: &random)!) }))
            #expect(BodyEncoding.isSurelyNFC(text) == byScalars(text), "\(text.unicodeScalars.map(\.value))")
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
