import Foundation

/// The non-English date forms Universal Feed Parser reads: Greek RFC 822 ("Κυρ, 11 Ιούλ 2004
/// 12:00:00 EST"), Hungarian W3CDTF ("2004-július-13T9:15-05:00") and the Korean forms of
/// OnBlog ("2004년 05월 28일 01:31:15") and Nate ("2004-05-25 오후 11:23:17"), both in KST.
extension FeedDate {
    private static let greekMonths: [String: String] = [
        "Ιαν": "Jan", "Φεβ": "Feb", "Μάώ": "Mar", "Μαώ": "Mar", "Μαρ": "Mar", "Απρ": "Apr", "Μάι": "May", "Μαϊ": "May",
        "Μαι": "May", "Ιούν": "Jun", "Ιον": "Jun", "Ιούλ": "Jul", "Ιολ": "Jul", "Αύγ": "Aug", "Αυγ": "Aug", "Σεπ": "Sep",
        "Οκτ": "Oct", "Νοέ": "Nov", "Νοε": "Nov", "Δεκ": "Dec",
    ]
    private static let greekDays: Set<String> = ["Κυρ", "Δευ", "Τρι", "Τετ", "Πεμ", "Παρ", "Σαβ"]
    /// Universal Feed Parser's spellings ("februári", "máujus") and the right ones.
    private static let hungarianMonths: [String: Int] = [
        "január": 1, "február": 2, "februári": 2, "március": 3, "április": 4, "május": 5, "máujus": 5, "június": 6,
        "július": 7, "augusztus": 8, "szeptember": 9, "október": 10, "november": 11, "december": 12,
    ]
    /// Korea Standard Time, which the Korean forms leave unsaid.
    private static let kst = 540

    /// Any of the forms above, or nil. Only reached by dates the English forms did not read.
    static func localized(_ text: String) -> Date? {
        guard !text.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        return greek(text) ?? hungarian(text) ?? korean(text)
    }

    private static func greek(_ text: String) -> Date? {
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        if let first = tokens.first, greekDays.contains(first) { tokens.removeFirst() }
        guard tokens.count >= 3, let month = greekMonths[tokens[1]] else { return nil }
        tokens[1] = month
        return rfc822(tokens.joined(separator: " "))
    }

    private static func hungarian(_ text: String) -> Date? {
        let parts = text.split(separator: "-", maxSplits: 2)
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]),
            let month = hungarianMonths[parts[1].lowercased()]
        else { return nil }
        let rest = parts[2]
        guard let t = rest.firstIndex(where: { $0 == "T" || $0 == "t" }), let day = Int(rest[..<t]) else { return nil }
        let time = rest[rest.index(after: t)...]
        guard let zoneStart = time.firstIndex(where: { $0 == "+" || $0 == "-" || $0 == "Z" || $0 == "z" }) else { return nil }
        let clock = time[..<zoneStart].split(separator: ":").map { Int($0) }
        guard clock.count == 2, let hour = clock[0], let minute = clock[1], let offset = zoneOffset(time[zoneStart...]) else {
            return nil
        }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, offsetMinutes: offset)
    }

    private static func korean(_ text: String) -> Date? {
        // OnBlog: "2004년 05월 28일 01:31:15"; Nate: "2004-05-25 오후 11:23:17" (오전 am, 오후 pm).
        let tokens = text.split(separator: " ")
        var fields: [Int] = []
        var afternoon = false
        for token in tokens {
            if token == "오후" {
                afternoon = true
                continue
            }
            if token == "오전" { continue }
            let pieces = token.split(whereSeparator: { $0 == "-" || $0 == ":" || $0 == "년" || $0 == "월" || $0 == "일" })
            for piece in pieces {
                guard let value = Int(piece) else { return nil }
                fields.append(value)
            }
        }
        guard fields.count == 6 else { return nil }
        let hour = afternoon && fields[3] < 12 ? fields[3] + 12 : fields[3]
        return makeDate(
            year: fields[0], month: fields[1], day: fields[2], hour: hour, minute: fields[4], second: fields[5],
            offsetMinutes: kst)
    }
}
