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

    @Test func writesMembersInTheOrderGiven() {
        let value = JSONValue.object([
            ("z", .number(-3)), ("a", .array([.bool(true), .null, .string("")])), ("m", .object([])), ("e", .array([])),
        ])
        #expect(value.rendered == #"{"z": -3, "a": [true, null, ""], "m": {}, "e": []}"#)
    }
}
