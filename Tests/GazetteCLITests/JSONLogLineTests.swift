import Foundation
import Testing

@testable import GazetteCLI

/// `--log-format json` writes each log line by hand: it must stay one JSON object per line that
/// any parser reads back as written, counts as numbers.
@Suite struct JSONLogLineTests {
    @Test func aLogLineReadsBackAsWrittenOnOneLine() throws {
        let message = "sent to \"dana\"@sample.test:\n 3 articles\t\u{1} שלום \u{2028} </script>"
        let data = JSONLogHandler.line(
            level: "info", message: message, label: "gazette",
            fields: [
                "sent": 1_000, "ratio": 1.5, "nan": Double.nan, "path": "/a/b", "tags": ["Turkey", 2],
                "nested": ["z": 1, "a": ["x"]],
            ])
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        #expect(text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["message"] as? String == message)
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "gazette")
        #expect(object["sent"] as? Int == 1_000)
        #expect(object["ratio"] as? Double == 1.5)
        #expect(object["nan"] is NSNull)
        #expect(object["path"] as? String == "/a/b")
        #expect((object["tags"] as? [Any])?.count == 2)
        #expect(((object["nested"] as? [String: Any])?["a"] as? [String]) == ["x"])
        let time = try #require(object["time"] as? String)
        #expect(try Date(time, strategy: .iso8601) <= Date())
        // Keys sorted, so lines diff well.
        #expect(text.hasPrefix(#"{"label":"gazette","level":"info","message":"#))
        #expect(text.contains(#""nested":{"a":["x"],"z":1}"#))
    }
}
