import Testing

@testable import FeedParsing

/// Text is scanned eight bytes at a time, and a word is skipped whole only when the byte
/// tables would have passed each of its bytes: the word checks must flag exactly the words
/// holding a byte of their set, which holds every byte the tables stop at.
@Suite struct WordScanTests {
    /// Random words, their bytes drawn mostly from the ones the checks look for.
    private static func words(_ count: Int) -> [(word: UInt64, bytes: [UInt8])] {
        let interesting: [UInt8] = [
            0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x22, 0x25, 0x26, 0x27, 0x28, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x41, 0x61,
            0x7E, 0x7F, 0x80, 0xA0, 0xBF, 0xC1, 0xC2, 0xC3, 0xD7, 0xE1, 0xE2, 0xE3, 0xEE, 0xEF, 0xF0, 0xFF,
        ]
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let bytes = (0..<8).map { _ in
                Int.random(in: 0..<4, using: &generator) == 0
                    ? interesting.randomElement(using: &generator)! : UInt8.random(in: 0x20...0x7E, using: &generator)
            }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            return (word, bytes)
        }
    }

    @Test func textEndsWhereTheTextTableSays() {
        let set: Set<UInt8> = [0x3C, 0x26, 0x7F, 0xEF]
        for (word, bytes) in Self.words(200_000) {
            let expected = bytes.contains { $0 < 0x20 || set.contains($0) }
            #expect(PlainMarkup.mayEndText(word) == expected, "\(bytes)")
            if bytes.contains(where: { PlainMarkup.textClass[Int($0)] != 0 }) { #expect(expected) }
        }
    }

    @Test func escapesWhereTheEscapeTableSays() {
        let set: Set<UInt8> = [0x26, 0x3C, 0x3E, 0x22, 0x27, 0x7F, 0xC2, 0xE2, 0xEF]
        for (word, bytes) in Self.words(200_000) {
            let expected = bytes.contains { $0 < 0x20 || set.contains($0) }
            #expect(HTMLText.mayNeedEscape(word) == expected, "\(bytes)")
            if bytes.contains(where: { HTMLText.escapeTable[Int($0)] != 0 }) { #expect(expected) }
        }
    }

    /// Escaping long text with its special bytes anywhere in a word, as `escape` did per byte.
    @Test func escapesLongTextAsByteByByte() {
        let pieces = ["plain text ", "שלום ", "&", "<", ">", "\"", "'", "\n", "\t", "\u{1}", "\u{7F}", "\u{85}", "\u{A0}", "…", "\u{202E}", "\u{FEFF}", "😀"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            var expected = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "&": expected += "&amp;"
                case "<": expected += "&lt;"
                case ">": expected += "&gt;"
                case "\"": expected += "&quot;"
                case "'": expected += "&#39;"
                default: expected.unicodeScalars.append(scalar)
                }
            }
            #expect(HTMLText.escape(text) == expected, "\(text.debugDescription)")
        }
    }
}
