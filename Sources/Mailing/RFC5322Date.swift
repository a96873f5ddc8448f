import Foundation

/// The `Date:` header format, `Thu, 26 Nov 2026 07:00:00 +0200`, always in English.
enum RFC5322Date {
    static func format(_ date: Date, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
