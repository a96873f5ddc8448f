import Foundation
import GazetteModel

/// Parses the dates feeds write: RFC 822/1123 (RSS) and ISO 8601/RFC 3339 (Atom, dc:date),
/// with the sloppiness seen in the wild (missing seconds, two-digit years, zone names,
/// misspelt day names). A hand-written scanner: faster than `DateFormatter` and more tolerant.
public enum FeedDate {
    public static func parse(_ text: String) -> Date? {
        let trimmed = UntrustedText.trimmingWhitespace(text)
        guard let first = trimmed.unicodeScalars.first else { return nil }
        if CharacterSet.decimalDigits.contains(first), trimmed.count >= 8,
            trimmed.unicodeScalars.dropFirst(4).first == "-"
        {
            return iso8601(trimmed)
        }
        return rfc822(trimmed) ?? iso8601(trimmed)
    }

    // MARK: - RFC 822

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Zone names in RFC 822 plus those common in feeds; offsets in minutes east of UTC.
    private static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
        "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "cet": 60, "cest": 120, "eet": 120, "eest": 180,
        "bst": 60, "ist": 120, "idt": 180, "msk": 180, "jst": 540, "aest": 600, "aedt": 660,
    ]

    static func rfc822(_ text: String) -> Date? {
        // Tokens: words and numbers; "," and whitespace separate.
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        // Drop a leading day name, however it is spelt.
        if let first = tokens.first, first.first?.isLetter == true, monthIndex(first) == nil { tokens.removeFirst() }
        guard tokens.count >= 3 else { return nil }
        var day: Int?
        var month: Int?
        if let d = Int(tokens[0]), let m = monthIndex(tokens[1]) {
            (day, month) = (d, m)
        } else if let m = monthIndex(tokens[0]), let d = Int(tokens[1]) {  // "Nov 26 2026"
            (day, month) = (d, m)
        }
        guard let day, let month, var year = Int(tokens[2]) else { return nil }
        if tokens[2].count <= 2 { year += year < 50 ? 2000 : 1900 }
        var hour = 0, minute = 0, second = 0
        var zoneIndex = 3
        if tokens.count > 3, tokens[3].contains(":" as Character) {  // by character, not Foundation's substring search
            let parts = tokens[3].split(separator: ":").map { Int($0) }
            guard parts.count >= 2, let h = parts[0], let m = parts[1] else { return nil }
            (hour, minute) = (h, m)
            if parts.count > 2, let s = parts[2] { second = s }
            zoneIndex = 4
        }
        var offset = 0
        if tokens.count > zoneIndex {
            guard let parsed = zoneOffset(tokens[zoneIndex]) else { return nil }
            offset = parsed
        }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            fraction: 0, offsetMinutes: offset)
    }

    private static func monthIndex(_ token: String) -> Int? {
        let key = token.prefix(3).lowercased()
        return months.firstIndex(of: key).map { $0 + 1 }
    }

    /// "+0200", "-05:00", "GMT", "GMT+2", "EST"; nil for anything else.
    private static func zoneOffset(_ token: String) -> Int? {
        var token = token.lowercased()
        if let named = zones[token] { return named }
        for prefix in ["gmt", "utc", "ut"] where token.hasPrefix(prefix) {
            token.removeFirst(prefix.count)
        }
        guard let sign = token.first, sign == "+" || sign == "-" else { return nil }
        let digits = token.dropFirst().filter(\.isNumber)
        let value: Int
        switch digits.count {
        case 1, 2: value = (Int(digits) ?? 0) * 60
        case 3, 4:
            guard let number = Int(digits) else { return nil }
            value = (number / 100) * 60 + number % 100
        default: return nil
        }
        return sign == "-" ? -value : value
    }

    // MARK: - ISO 8601

    /// "2026-11-26", "2026-11-26T07:00Z", "2026-11-26 07:00:00.123+02:00", "2026-11-26T07:00:00+0200".
    static func iso8601(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[index..<index + width] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += width
            return value
        }
        func skip(_ byte: UInt8) -> Bool {
            guard index < scalars.count, scalars[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), skip(UInt8(ascii: "-")), let month = number(2), skip(UInt8(ascii: "-")),
            let day = number(2)
        else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        if index < scalars.count, scalars[index] == UInt8(ascii: "T") || scalars[index] == UInt8(ascii: " ")
            || scalars[index] == UInt8(ascii: "t")
        {
            index += 1
            guard let h = number(2), skip(UInt8(ascii: ":")), let m = number(2) else { return nil }
            (hour, minute) = (h, m)
            if skip(UInt8(ascii: ":")) {
                guard let s = number(2) else { return nil }
                second = s
                if skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ",")) {
                    var scale = 0.1
                    while index < scalars.count, scalars[index] >= 48, scalars[index] <= 57 {
                        fraction += Double(scalars[index] - 48) * scale
                        scale /= 10
                        index += 1
                    }
                }
            }
        }
        var offset = 0
        if index < scalars.count {
            let rest = String(decoding: scalars[index...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty {
                guard let parsed = zoneOffset(rest) else { return nil }
                offset = parsed
            }
        }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            fraction: fraction, offsetMinutes: offset)
    }

    // MARK: - Arithmetic

    /// Builds a date from civil fields in a fixed UTC offset, rejecting impossible values.
    private static func makeDate(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double, offsetMinutes: Int
    ) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...24).contains(hour), (0...59).contains(minute),
            (0...60).contains(second), (1000...9999).contains(year)
        else { return nil }
        let days = CivilDate.daysSince1970(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + min(second, 59) - offsetMinutes * 60
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }
}
