import Foundation
import GazetteModel

/// Parses the dates feeds write, each to its UTC instant: RFC 822/1123 (RSS) with the zone
/// names and military letters seen in the wild, asctime, W3CDTF/RFC 3339 (Atom, `dc:date`)
/// and its partial forms (`2003-12`, `2003`), compact and ordinal ISO 8601 (`20031231`,
/// `031231`, `2003-335`, `03335`, `-0312`), Perforce (`2006/09/15`) and the Greek, Hungarian
/// and Korean forms Universal Feed Parser reads. Hand-written scanners: faster than
/// `DateFormatter` and more tolerant. Pure: forms that leave the year to the clock
/// (`--12-31`, `-335`) are not read.
public enum FeedDate {
    public static func parse(_ text: String) -> Date? {
        let trimmed = UntrustedText.trimmingWhitespace(text)
        guard let first = trimmed.utf8.first else { return nil }
        if first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
            return w3cdtf(trimmed) ?? rfc822(trimmed) ?? compactISO8601(trimmed) ?? localized(trimmed)
        }
        if first == UInt8(ascii: "-") { return compactISO8601(trimmed) }
        return rfc822(trimmed) ?? localized(trimmed)
    }

    // MARK: - Zones

    /// Zone names in RFC 822 plus those feeds use; offsets in minutes east of UTC. The North
    /// American generic names (`ET`, `PT`) read as standard time, as Universal Feed Parser
    /// reads them; the military letters follow it too (`A` is -1, `N` +1, `M` -12, `Y` +12).
    static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "et": -300, "cst": -360, "cdt": -300,
        "ct": -360, "mst": -420, "mdt": -360, "mt": -420, "pst": -480, "pdt": -420, "pt": -480, "ast": -240,
        "adt": -180, "at": -240, "a": -60, "n": 60, "m": -720, "y": 720, "met": 60, "mest": 120, "cet": 60,
        "cest": 120, "eet": 120, "eest": 180, "bst": 60, "ist": 120, "idt": 180, "msk": 180, "jst": 540,
        "kst": 540, "aest": 600, "aedt": 660,
    ]

    /// "+0200", "-05:00", "+02", "GMT", "GMT+2", "Etc/GMT", "EST"; nil for a malformed
    /// numeric offset. A name no table knows reads as UTC, as Universal Feed Parser reads it.
    static func zoneOffset(_ token: Substring) -> Int? {
        var token = token.lowercased()[...]
        if token.hasPrefix("etc/") { token = token.dropFirst(4) }
        if let named = zones[String(token)] { return named }
        for prefix in ["gmt", "utc", "ut"] where token.hasPrefix(prefix) {
            token = token.dropFirst(prefix.count)
            break
        }
        guard let sign = token.first, sign == "+" || sign == "-" else {
            return token.allSatisfy(\.isLetter) ? 0 : nil
        }
        let digits = token.dropFirst().filter { $0 != ":" }
        guard digits.allSatisfy(\.isASCII), let number = Int(digits) else { return nil }
        let value: Int
        switch digits.count {
        case 1, 2: value = number * 60
        case 3, 4: value = (number / 100) * 60 + number % 100
        default: return nil
        }
        return sign == "-" ? -value : value
    }

    // MARK: - Arithmetic

    /// Builds a date from civil fields in a fixed UTC offset, rejecting impossible values.
    static func makeDate(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, fraction: Double = 0,
        offsetMinutes: Int = 0
    ) -> Date? {
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), (0...24).contains(hour),
            (0...59).contains(minute), (0...60).contains(second), (1000...9999).contains(year)
        else { return nil }
        let days = CivilDate.daysSince1970(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + min(second, 59) - offsetMinutes * 60
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }

    /// The date `ordinal` days into `year` (1 is January 1st), as (month, day).
    static func monthAndDay(ordinal: Int, year: Int) -> (month: Int, day: Int)? {
        var remaining = ordinal
        for month in 1...12 {
            let length = daysIn(month: month, year: year)
            if remaining <= length { return remaining >= 1 ? (month, remaining) : nil }
            remaining -= length
        }
        return nil
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
