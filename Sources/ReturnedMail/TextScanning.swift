import Foundation
import GazetteModel

/// The small things every classifier looks for in free text: addresses, status codes,
/// Message-IDs, dates.
enum TextScanning {
    private static let enhancedStatusPattern = compiled(
        #"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])"#)
    private static let replyCodePattern = compiled(
        #"(?:^|[\s:#(\[])([45][0-9][0-9])(?:[\s-]|$)"#, options: [.anchorsMatchLines])
    private static let messageIDLinePattern = compiled(
        #"^message-id:[ \t]*<?([^>\s]+@[^>\s]+)>?"#, options: [.anchorsMatchLines, .caseInsensitive])

    /// Every address in `text`, in order, each once (compared without case). Scanned by byte
    /// around each `@`: a regular expression costs milliseconds a notice on Linux.
    static func addresses(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        var seen = Set<String>()
        var found: [String] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "@") else {
                index += 1
                continue
            }
            var start = index
            while start > 0, isLocalByte(bytes[start - 1]) { start -= 1 }
            var end = index + 1
            while end < bytes.count, isDomainByte(bytes[end]) { end += 1 }
            while start < index,
                bytes[start] == UInt8(ascii: ".") || bytes[start] == UInt8(ascii: "'") || bytes[start] == UInt8(ascii: "`")
            {
                start += 1
            }
            while end > index + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
            let domain = bytes[(index + 1)..<end]
            let topLevel = domain.split(separator: UInt8(ascii: ".")).last ?? []
            if start < index, domain.contains(UInt8(ascii: ".")), topLevel.count >= 2, topLevel.allSatisfy(isLetter) {
                let address = String(decoding: bytes[start..<end], as: UTF8.self)
                if seen.insert(address.lowercased()).inserted { found.append(address) }
            }
            index = max(end, index + 1)
        }
        return found
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDomainByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "-")
    }

    private static let localPunctuation = Set("._%+=/!#$&'*?^`{|}~-".utf8)

    private static func isLocalByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || localPunctuation.contains(byte)
    }

    /// The first address in a header value (`"Name" <a@b>`, `a@b`, `rfc822; a@b`).
    static func address(inHeader value: String?) -> String? {
        value.flatMap { addresses(in: $0).first }
    }

    /// The first enhanced status code (RFC 3463, `5.1.1`) in `text`.
    static func enhancedStatus(in text: String) -> String? {
        matches(enhancedStatusPattern, in: text, group: 0).first
    }

    /// The first SMTP reply code (`550`) standing as a reply would: at a line's start or after ':' or '#'.
    static func replyCode(in text: String) -> String? {
        matches(replyCodePattern, in: text, group: 1).first
    }

    /// A Message-ID header value without its angle brackets.
    static func messageID(_ value: String?) -> String? {
        guard var value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let open = value.firstIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
            value = String(value[value.index(after: open)..<close])
        }
        value = value.trimmingCharacters(in: .whitespaces)
        return value.isEmpty || value.contains(" ") ? nil : value
    }

    /// The first `Message-ID:` line in a quoted copy of a message.
    static func messageIDLine(in text: String) -> String? {
        matches(messageIDLinePattern, in: text, group: 1).first
    }

    /// Runs of whitespace (line breaks too) made single spaces, lower-cased: phrases wrapped
    /// at any column still match.
    static func normalized(_ text: String) -> String {
        // By byte: ASCII letters lowered, runs of ASCII whitespace made one space; other
        // bytes (UTF-8 sequences) pass through. A tenth of the cost of doing it by Character.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), 0x0B, 0x0C:
                pendingSpace = !out.isEmpty
            default:
                if pendingSpace { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An RFC 5322 date (`Tue, 1 Dec 2026 09:12:03 +0000 (UTC)`), day name and comment optional.
    static func date(_ value: String?) -> Date? {
        guard var text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let comment = text.firstIndex(of: "(") { text = text[..<comment].trimmingCharacters(in: .whitespaces) }
        if let comma = text.firstIndex(of: ","), text.distance(from: text.startIndex, to: comma) <= 4 {
            text = text[text.index(after: comma)...].trimmingCharacters(in: .whitespaces)
        }
        // By hand: ICU's date parsing costs a millisecond a date, more than the rest of a message.
        let fields = text.split(separator: " ")
        guard fields.count >= 4, let day = Int(fields[0]), (1...31).contains(day),
            let month = months[fields[1].lowercased()], var year = Int(fields[2])
        else { return nil }
        if year < 100 { year += year < 50 ? 2000 : 1900 }
        guard (1900...9999).contains(year) else { return nil }
        let time = fields[3].split(separator: ":").map { Int($0) }
        guard time.count == 2 || time.count == 3, let hour = time[0], let minute = time[1], (0...23).contains(hour),
            (0...59).contains(minute)
        else { return nil }
        let second = time.count == 3 ? time[2] : 0
        guard let second, (0...60).contains(second) else { return nil }
        let offset = fields.count > 4 ? zoneOffset(String(fields[4])) : 0
        guard let offset else { return nil }
        let days = CivilDate.daysSince1970(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second - offset))
    }

    private static let months = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ]

    /// Seconds east of UTC: `+0200`, `-0800`, or an obsolete name (RFC 5322 §4.3).
    private static func zoneOffset(_ zone: String) -> Int? {
        let named = [
            "ut": 0, "gmt": 0, "utc": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8,
            "pdt": -7,
        ]
        if let hours = named[zone.lowercased()] { return hours * 3600 }
        guard zone.count == 5, let sign = zone.first, sign == "+" || sign == "-", let value = Int(zone.dropFirst()) else {
            return nil
        }
        let seconds = (value / 100) * 3600 + (value % 100) * 60
        return sign == "-" ? -seconds : seconds
    }

    /// A pattern written in this file: one that does not compile is a programming error.
    static func compiled(_ pattern: String, options: NSRegularExpression.Options = []) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern, options: options)
        } catch {
            preconditionFailure("bad pattern \(pattern): \(error)")
        }
    }

    private static func matches(_ pattern: NSRegularExpression, in text: String, group: Int) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: group), in: text).map { String(text[$0]) }
        }
    }
}
