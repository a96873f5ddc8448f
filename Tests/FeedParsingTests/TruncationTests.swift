import Foundation
import Testing

@testable import FeedParsing

/// `HTMLText.truncate` counts scalars where each is a character of its own; it must cut
/// exactly where counting `Character`s cuts, on text made of scalars that are and are not.
@Suite struct TruncationTests {
    static let pieces = [
        "a", "Z", " ", ".", ",", "!", "é", "e\u{301}", "\r\n", "\r", "\n", "\t", "ש", "לום", "\u{5B4}", "\u{5BE}", "—", "…",
        "“", "”", "₪", "©", "👍", "👍🏽", "👨\u{200D}👩\u{200D}👧", "🇮🇱", "한", "\u{1100}\u{1161}", "क्ष", "\u{200D}",
        "\u{200F}", "\"", "'", "\u{AD}", "\u{300}", "\u{903}", "\u{600}1", "ẞ", "ǅ",
    ]

    @Test func scalarCountingCutsWhereCharacterCountingCuts() {
        var generator = SeededGenerator(seed: 400)
        var checked = 0
        for _ in 0..<20_000 {
            let limit = Int.random(in: 1...30, using: &generator)
            var text = ""
            // Mostly plain text, sometimes with a joining piece.
            let plain = Bool.random(using: &generator)
            for _ in 0..<Int.random(in: 0...45, using: &generator) {
                text +=
                    plain ? Self.pieces[Int.random(in: 0..<4, using: &generator)] : Self.pieces.randomElement(using: &generator)!
            }
            #expect(
                HTMLText.truncate(text, to: limit) == HTMLText.truncateByCharacters(text, to: limit),
                "\(text.debugDescription) \(limit)")
            checked += 1
        }
        #expect(checked == 20_000)
    }

    @Test func theShortcutCoversHebrewAndLatinText() {
        for value: UInt32 in [0x61, 0x20, 0xE9, 0x5D0, 0x5EA, 0x2026, 0x201C, 0x20AA] { #expect(HTMLText.isLoneScalar(value)) }
        for value: UInt32 in [0x0D, 0x300, 0x5B4, 0x200D, 0x1F1EE, 0x1100, 0x915, 0x94D, 0xAC00, 0x1F44D] {
            #expect(!HTMLText.isLoneScalar(value))
        }
    }
}
