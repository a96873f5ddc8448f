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
        return .string(RFC3339UTC.string(date))
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
        case .string(let text): Self.write(string: text, to: &output)
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
                Self.write(string: key, to: &output)
                output.append(contentsOf: ": ".utf8)
                value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Hex digits of `\u` escapes, lower case.
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// For each byte: 0 = written as it is, 1 = escaped, 2 = may start U+2028 or U+2029.
    private static let escapeClass: [UInt8] = (0...255).map { byte in
        switch byte {
        case 0x22, 0x5C, 0x00..<0x20: 1
        case 0xE2: 2
        default: 0
        }
    }

    /// Whether any of eight bytes is one `escapeClass` does not pass (a quote, a backslash, a
    /// C0 control or 0xE2): a byte equal to b is a zero byte of word ^ b, and a zero or
    /// small byte borrows into its top bit when each byte has 1 (or 0x20) taken from it.
    @inline(__always)
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let tops: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & tops != 0 }
        return hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C)) || hasZeroByte(word ^ (ones &* 0xE2))
            || (word &- ones &* 0x20) & ~word & tops != 0
    }

    /// A JSON string: quote, backslash and C0 controls escaped (`\n`, `\r`, `\t` by name),
    /// and U+2028/U+2029, which end a line in JavaScript. Copies runs of plain bytes at once,
    /// found eight bytes at a time, then through a table (an item's content is most of
    /// `parse-feed --json`'s output, and nearly all of it needs no escape).
    static func write(string text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            output.reserveCapacity(output.count + bytes.count + 2)
            var runStart = 0
            var index = 0
            let count = bytes.count
            let raw = UnsafeRawBufferPointer(bytes)
            while index < count {
                if index + 8 <= count, !mayNeedEscape(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                    index += 8
                    continue
                }
                let kind = escapeClass[Int(bytes[index])]
                if kind == 0
                    || (kind == 2 && !(index + 2 < count && bytes[index + 1] == 0x80 && (0xA8...0xA9).contains(bytes[index + 2])))
                {
                    index += 1
                    continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0xE2:  // U+2028, U+2029
                    appendUnicodeEscape(0x2000 + UInt32(bytes[index + 2]) - 0xA8 + 0x28, to: &output)
                    index += 2
                default: appendUnicodeEscape(UInt32(byte), to: &output)
                }
                index += 1
                runStart = index
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendUnicodeEscape(_ value: UInt32, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        output.append(UInt8(ascii: "u"))
        for shift: UInt32 in [12, 8, 4, 0] { output.append(hexDigits[Int((value >> shift) & 0xF)]) }
    }
}
