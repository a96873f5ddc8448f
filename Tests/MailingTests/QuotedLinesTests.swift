import Foundation
import Testing

@testable import Mailing

/// Personal HTML lines are quoted-printable-encoded once per shape of their values and filled
/// in per message (`QuotedLines`): each must equal the line encoded directly, whatever the
/// values hold and wherever the soft line breaks fall.
@Suite struct QuotedLinesTests {
    /// A long line of tag links, each with a reader's preferences link (and its `=`, `&amp;`).
    static func line(token: String, name: String) -> (bytes: [UInt8], values: [Range<Int>]) {
        var bytes: [UInt8] = []
        var values: [Range<Int>] = []
        for tag in ["Turkey", "ISF", "כנסת", "Gaza Strip"] {
            bytes += Array("<a href=\"".utf8)
            let start = bytes.count
            bytes += Array("https://news.sample.test/preferences?token=\(token)&amp;from=digest".utf8)
            values.append(start..<bytes.count)
            bytes += Array("&amp;follow_tag=\(tag)\" style=\"display:inline-block;padding:2px 10px;\">\(tag)</a> ".utf8)
        }
        bytes += Array("Hello ".utf8)
        let start = bytes.count
        bytes += Array(name.utf8)
        values.append(start..<bytes.count)
        return (bytes, values)
    }

    @Test func everyFilledLineIsTheDirectEncoding() {
        let lines = QuotedLines()
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
        var filled = 0
        for round in 0..<400 {
            // Tokens of a few lengths (ids of more digits), names that need escaping or not.
            let token = String((0..<(20 + round % 3)).map { _ in alphabet.randomElement(using: &generator)! })
            let name = ["Dana", "Dana Levi", "נועה", "R=1", "Al  Ba", String(repeating: "x", count: 90 + round % 5)][round % 6]
            let (bytes, values) = Self.line(token: token, name: name)
            let direct = BodyEncoding.quotedPrintableBytes(bytes)
            if let encoded = lines.encode(item: 7, line: bytes, values: values) {
                #expect(encoded == direct, "token \(token), name \(name)")
                filled += 1
            }
        }
        #expect(filled > 300, "most lines are filled in, not encoded anew (\(filled))")
    }
}
