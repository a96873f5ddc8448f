import Foundation
import GazetteModel

/// The `Date:` header format, `Thu, 26 Nov 2026 07:00:00 +0200`, always in English.
enum RFC5322Date {
    static func format(_ date: Date, timeZone: TimeZone) -> String {
        fast(date, timeZone: timeZone) ?? formatted(date, timeZone: timeZone)
    }

    /// The format by `DateFormatter`: making one per message was a fifth of a spliced
    /// message's time (`DigestMessageTemplate`), so `fast` does the common case by arithmetic.
    static func formatted(_ date: Date, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    private static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1 Jan 1970 was a Thursday
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The same text by the proleptic Gregorian calendar, for years 1900–9999 in zones whose
    /// offset is whole minutes (every zone since 1972), not within a millisecond or two of
    /// the next second; nil otherwise.
    static func fast(_ date: Date, timeZone: TimeZone) -> String? {
        // DateFormatter works in whole milliseconds: within one of the next second it may round up.
        let instant = date.timeIntervalSince1970
        guard instant.isFinite, instant - instant.rounded(.down) < 0.998 else { return nil }
        let offset = timeZone.secondsFromGMT(for: date)
        guard offset % 60 == 0 else { return nil }
        let local = Int(instant.rounded(.down)) + offset
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = local - day * 86_400
        let (year, month, dayOfMonth) = CivilDate.date(daysSince1970: day)
        guard (1900...9999).contains(year) else { return nil }
        let weekday = days[((day % 7) + 7) % 7]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let zone = abs(offset) / 60
        return "\(weekday), \(two(dayOfMonth)) \(months[month - 1]) \(year) \(two(seconds / 3600)):\(two(seconds / 60 % 60)):"
            + "\(two(seconds % 60)) \(offset < 0 ? "-" : "+")\(two(zone / 60))\(two(zone % 60))"
    }
}
