import Foundation

/// A date as a page shows it to readers ("Published on 12-11-2025 15:22"), read with the
/// site's own pattern and time zone, because "12-11" alone cannot say which is the day.
public enum VisibleDate {
    /// Finds the first run of `text` that fits `format` (a Unicode date pattern) and reads
    /// it in `timeZone`. Without a format, the feed-date parser is tried on the whole text.
    public static func parse(_ text: String, format: String?, timeZone: TimeZone?) -> Date? {
        guard let format else { return FeedDate.parse(text) }
        guard let pattern = try? Regex(regexSource(for: format)), let match = text.firstMatch(of: pattern) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.date(from: String(text[match.range]))
    }

    /// A regular expression matching what `format` produces.
    static func regexSource(for format: String) -> String {
        var source = ""
        var index = format.startIndex
        while index < format.endIndex {
            let letter = format[index]
            var run = 0
            var end = index
            while end < format.endIndex, format[end] == letter {
                run += 1
                end = format.index(after: end)
            }
            switch letter {
            case "y": source += run == 2 ? "\\d{2}" : "\\d{4}"
            case "M", "L": source += run >= 3 ? "\\p{L}+\\.?" : "\\d{1,2}"
            case "d", "H", "h", "k", "K", "m", "s": source += "\\d{1,2}"
            case "S": source += "\\d+"
            case "E": source += "\\p{L}+\\.?"
            case "a": source += "(?:AM|PM|am|pm)"
            case "Z", "X", "x": source += "(?:Z|[+-]\\d{2}:?\\d{2})"
            case "'": source += ""
            default:
                source += String(repeating: NSRegularExpression.escapedPattern(for: String(letter)), count: run)
            }
            index = end
        }
        return source
    }
}
