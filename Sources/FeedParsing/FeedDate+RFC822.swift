import Foundation

/// RFC 822 and its relatives: what RSS `pubDate` holds, asctime (`Sun Jan  4 16:29:06 2004`)
/// and Perforce's `Fri, 2006/09/15 08:19:53 EDT`.
extension FeedDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// "Thu, 26 Nov 2026 07:00:00 +0000", "26 Nov 26 07:00 EST", "Nov 26 2026", "Mon, 26 January
    /// 2004", asctime with or without a zone, and a `yyyy/mm/dd` date in place of day, month, year.
    static func rfc822(_ text: String) -> Date? {
        rfc1123(text) ?? tokenizedRFC822(text)
    }

    /// `rfc822` for every form it reads, by tokens.
    static func tokenizedRFC822(_ text: String) -> Date? {
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
        if tokens.count >= 2,
            let cookie = tokens.prefix(2).firstIndex(where: { $0.contains("-" as Character) && $0.first?.isNumber == true })
        {
            // "Thu, 01-Jan-2004 19:48:21 GMT", as cookies and some feeds write it.
            let parts = tokens[cookie].split(separator: "-")
            if parts.count == 3, monthIndex(parts[1]) != nil { tokens.replaceSubrange(cookie...cookie, with: parts) }
        }
        // Drop a leading day name, however it is spelt.
        if let first = tokens.first, first.first?.isLetter == true, monthIndex(first) == nil { tokens.removeFirst() }
        guard tokens.count >= 2 else { return nil }
        var day: Int?
        var month: Int?
        var year: Int?
        var rest: ArraySlice<Substring>
        if let m = monthIndex(tokens[0]), let d = Int(tokens[1]), tokens.count >= 4, tokens[2].contains(":" as Character),
            let y = Int(tokens[tokens.count - 1])
        {
            // asctime: "Jan 4 16:29:06 [zone] 2004".
            (day, month, year) = (d, m, y)
            rest = tokens[2..<tokens.count - 1]
        } else if let slashed = perforceDate(tokens[0]) {
            (year, month, day) = (slashed.year, slashed.month, slashed.day)
            rest = tokens[1...]
        } else {
            guard tokens.count >= 3 else { return nil }
            if let d = Int(tokens[0]), let m = monthIndex(tokens[1]) {
                (day, month) = (d, m)
            } else if let m = monthIndex(tokens[0]), let d = Int(tokens[1]) {  // "Nov 26 2026"
                (day, month) = (d, m)
            }
            guard let y = Int(tokens[2]) else { return nil }
            // Two-digit years: 90 to 99 are the 1990s, the rest this century.
            year = tokens[2].count <= 2 ? y + (y < 90 ? 2000 : 1900) : y
            rest = tokens[3...]
        }
        guard let day, let month, let year else { return nil }
        var hour = 0, minute = 0, second = 0
        if let time = rest.first, time.contains(":" as Character) {  // by character, not Foundation's substring search
            let parts = time.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count >= 2, parts.count <= 3, let h = parts[0], let m = parts[1] else { return nil }
            (hour, minute) = (h, m)
            if parts.count > 2 {
                guard let s = parts[2] else { return nil }
                second = s
            }
            rest = rest.dropFirst()
            if let meridiem = rest.first?.lowercased(), meridiem == "am" || meridiem == "pm" {
                guard (1...12).contains(hour) else { return nil }
                hour = hour % 12 + (meridiem == "pm" ? 12 : 0)
                rest = rest.dropFirst()
            }
        }
        var offset = 0
        if let zone = rest.first {
            guard let parsed = zoneOffset(zone) else { return nil }
            offset = parsed
        }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetMinutes: offset)
    }

    // As bytes: compared with a slice of the date without making a `String` of it.
    private static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map { Array($0.utf8) }
    private static let monthNames = months.map { Array($0.prefix(1).uppercased().utf8) + Array($0.dropFirst().utf8) }
    private static let utcNames = ["GMT", "UTC", "UT", "Z"].map { Array($0.utf8) }

    /// The form nearly every RSS feed writes, "Thu, 26 Nov 2026 07:00:00 +0000" (or `GMT`),
    /// read byte by byte: splitting it into `Substring` tokens was most of the time spent on
    /// dates. Anything else, or anything unusual about this form, is left to `rfc822`, which
    /// reads this form to the same instant.
    static func rfc1123(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            // "Ddd, D Mon YYYY HH:MM:SS " then a zone: 25 or 26 bytes before the zone.
            let dayDigits = bytes.count > 7 && bytes[7] == 0x20 ? 2 : 1
            let zoneStart = 24 + dayDigits
            guard bytes.count >= zoneStart + 1, bytes[3] == UInt8(ascii: ","), bytes[4] == 0x20 else { return nil }
            guard dayNames.contains(where: { $0.elementsEqual(bytes[0..<3]) }) else { return nil }
            func number(_ start: Int, _ count: Int) -> Int? {
                var value = 0
                for index in start..<start + count {
                    let digit = Int(bytes[index]) - 0x30
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            let monthStart = 6 + dayDigits
            guard let day = number(5, dayDigits), bytes[monthStart - 1] == 0x20,
                let month = monthNames.firstIndex(where: { $0.elementsEqual(bytes[monthStart..<monthStart + 3]) }),
                bytes[monthStart + 3] == 0x20, let year = number(monthStart + 4, 4), bytes[monthStart + 8] == 0x20,
                let hour = number(monthStart + 9, 2), bytes[monthStart + 11] == UInt8(ascii: ":"),
                let minute = number(monthStart + 12, 2), bytes[monthStart + 14] == UInt8(ascii: ":"),
                let second = number(monthStart + 15, 2), bytes[monthStart + 17] == 0x20
            else { return nil }
            let zone = bytes[zoneStart...]
            let offset: Int
            if zone.count == 5, zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"),
                let value = number(zoneStart + 1, 4)
            {
                offset = (zone.first == UInt8(ascii: "-") ? -1 : 1) * ((value / 100) * 60 + value % 100)
            } else if utcNames.contains(where: { $0.elementsEqual(zone) }) {
                offset = 0
            } else {
                return nil
            }
            return makeDate(
                year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second, offsetMinutes: offset)
        }
    }

    static func monthIndex(_ token: Substring) -> Int? {
        guard token.count >= 3, token.first?.isLetter == true else { return nil }
        let key = token.prefix(3).lowercased()
        return months.firstIndex(of: key).map { $0 + 1 }
    }

    /// Perforce's "2006/09/15" as (year, month, day).
    private static func perforceDate(_ token: Substring) -> (year: Int, month: Int, day: Int)? {
        guard token.contains("/" as Character) else { return nil }
        let parts = token.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        return (year, month, day)
    }
}
