import Foundation

/// JSON written with its keys in the order given, for output whose shape is documented
/// (`parse-feed --json`, `extract --json`): people and diff tools read it.
enum JSONValue {
    case string(String)
    case number(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// A string, or null when absent.
    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// An RFC 3339 UTC time ("2025-11-12T13:22:00Z"), or null.
    static func time(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)))
    }

    /// An RFC 3339 time at `offset` seconds east of UTC ("2019-05-22T01:00:00+03:00"): the
    /// same instant as `time`, written as its source wrote it, so its date is the one the
    /// source's readers saw. UTC ("Z") when the offset is nil or zero.
    static func time(_ date: Date?, offset: Int?) -> JSONValue {
        guard let date, let offset, offset != 0, let zone = TimeZone(secondsFromGMT: offset) else { return time(date) }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return .string(formatter.string(from: date))
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    /// One line of JSON.
    var rendered: String {
        var output: [UInt8] = []
        write(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Writes UTF-8 into one byte buffer: `parse-feed --json` writes every item's content
    /// here, and appending `String`s scalar by scalar was most of its time after parsing.
    func write(to output: inout [UInt8]) {
        switch self {
        case .string(let text): Self.writeString(text, to: &output)
        case .number(let value): output.append(contentsOf: String(value).utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .null: output.append(contentsOf: "null".utf8)
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(contentsOf: ", ".utf8) }
                value.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output.append(contentsOf: ", ".utf8) }
                Self.writeString(key, to: &output)
                output.append(contentsOf: ": ".utf8)
                value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Hex digits of `\u` escapes, lower case.
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string: quote, backslash and C0 controls escaped (`\n`, `\r`, `\t` by name),
    /// and U+2028/U+2029, which end a line in JavaScript. Copies runs of plain bytes at once.
    private static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            output.reserveCapacity(output.count + bytes.count + 2)
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                var escape: [UInt8]?
                var length = 1
                switch byte {
                case UInt8(ascii: "\""): escape = Array("\\\"".utf8)
                case UInt8(ascii: "\\"): escape = Array("\\\\".utf8)
                case 0x0A: escape = Array("\\n".utf8)
                case 0x0D: escape = Array("\\r".utf8)
                case 0x09: escape = Array("\\t".utf8)
                case 0x00..<0x20: escape = unicodeEscape(UInt32(byte))
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (0xA8...0xA9).contains(bytes[index + 2]):
                    escape = unicodeEscape(0x2000 + UInt32(bytes[index + 2]) - 0xA8 + 0x28)  // U+2028, U+2029
                    length = 3
                default: break
                }
                guard let escape else {
                    index += 1
                    continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                output.append(contentsOf: escape)
                index += length
                runStart = index
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func unicodeEscape(_ value: UInt32) -> [UInt8] {
        [UInt8(ascii: "\\"), UInt8(ascii: "u")] + [12, 8, 4, 0].map { hexDigits[Int((value >> UInt32($0)) & 0xF)] }
    }
}
