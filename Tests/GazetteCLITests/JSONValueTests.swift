import Foundation
import Testing

@testable import GazetteCLI

/// `parse-feed --json` and `extract --json` write JSON through `JSONValue`, byte by byte.
@Suite struct JSONValueTests {
    @Test func escapesWhatJSONAndJavaScriptNeedEscapedAndNothingElse() {
        let text = "a\"b\\c\nd\re\tf\u{1}g\u{1F}h\u{7F}i\u{2028}j\u{2029}k שלום \u{1F600} </script>"
        #expect(
            JSONValue.string(text).rendered
                == #""a\"b\\c\nd\re\tf\u0001g\u001fh"# + "\u{7F}" + #"i\u2028j\u2029k שלום 😀 </script>""#)
    }

    /// Strings escaped eight bytes at a time where none needs it: the same as escaping each
    /// character, wherever the escapes fall and however long the runs between them.
    @Test func escapesLongStringsAsCharacterByCharacter() {
        func escapedOneByOne(_ text: String) -> String {
            var result = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case "\n": result += "\\n"
                case "\r": result += "\\r"
                case "\t": result += "\\t"
                case "\u{2028}", "\u{2029}", "\u{0}"..."\u{1F}": result += String(format: "\\u%04x", scalar.value)
                default: result.unicodeScalars.append(scalar)
                }
            }
            return result + "\""
        }
        let pieces = ["a", "plain text ", "שלום ", "\"", "\\", "\n", "\u{1}", "\u{1F}", "\u{7F}", "…", "\u{2028}", "\u{2029}", "\u{2027}", "😀", " "]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(JSONValue.string(text).rendered == escapedOneByOne(text), "\(text.debugDescription)")
        }
    }

    @Test func writesMembersInTheOrderGiven() {
        let value = JSONValue.object([
            ("z", .number(-3)), ("a", .array([.bool(true), .null, .string("")])), ("m", .object([])), ("e", .array([])),
        ])
        #expect(value.rendered == #"{"z": -3, "a": [true, null, ""], "m": {}, "e": []}"#)
    }
}
