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
