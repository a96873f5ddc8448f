import Testing

@testable import Mailing

/// The text part's wrapping at 72 columns: words and links never split, a link never parted
/// from its number.
@Suite struct TextWrapperTests {
    /// "[2] URL" one column too wide for a line, with a URL that would fit on a fresh one: it
    /// used to go to the next line alone, away from its number.
    @Test(arguments: ["", "ש"])
    func aLinkStaysBesideItsNumber(nonASCII: String) {
        let url = "https://sample.test/2026/12/cairo-talks-resume-on-the-second-stage\(nonASCII)/"
        let line = "    [2] " + url
        #expect(line.count > 72 && 4 + url.count <= 72)
        #expect(TextWrapper.wrap(line, width: 72) == line)
        // A number before words that are not a link wraps as any word does.
        let words = "    [2] " + String(repeating: "word ", count: 20)
        #expect(TextWrapper.wrap(words, width: 30).split(separator: "\n").allSatisfy { $0.count <= 30 })
    }

    @Test func aTagOfSeveralWordsIsNeverSplit() {
        let tag = "international\u{A0}stabilization\u{A0}force"
        for prefix in 0..<40 {
            let line = "    Tags: " + String(repeating: "x", count: prefix) + " " + tag + "\u{A0}· Turkey"
            let wrapped = TextWrapper.wrap(line, width: 72)
            #expect(wrapped.contains(tag), "\(prefix)")
            #expect(!wrapped.split(separator: "\n").contains { $0.trimmingPrefix(" ").hasPrefix("·") }, "\(prefix)")
        }
    }
}
