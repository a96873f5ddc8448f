import Foundation

/// When a list goes out, in the list's time zone: "daily 07:00", "weekly monday 07:00", or
/// "cron M H DOM MON DOW" (five fields, numbers, `*`, lists, ranges and steps).
///
/// Times are wall-clock times, so 07:00 stays 07:00 across daylight-saving changes; a time
/// the clocks skip (02:30 on the spring-forward night) falls on the next valid moment, and a
/// time that happens twice (the autumn fall-back) counts once.
public struct Schedule: Sendable, Hashable, CustomStringConvertible {
    public let description: String
    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let daysOfMonth: Set<Int>
    private let months: Set<Int>
    /// 1 = Sunday … 7 = Saturday, as `Calendar` counts.
    private let weekdays: Set<Int>
    private let anyDayOfMonth: Bool
    private let anyWeekday: Bool

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case invalid(String, reason: String)
        public var description: String {
            switch self {
            case .invalid(let text, let reason):
                "'\(text)' is not a schedule (\(reason)); write \"daily 07:00\", \"weekly monday 07:00\" or \"cron 0 7 * * 1-5\""
            }
        }
    }

    private static let weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    public init(parsing text: String) throws(ParseError) {
        let words = text.lowercased().split(separator: " ").map(String.init)
        func time(_ word: String) throws(ParseError) -> (Int, Int) {
            let parts = word.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) else {
                throw .invalid(text, reason: "'\(word)' is not a time like 07:00")
            }
            return (parts[0], parts[1])
        }
        description = text
        switch words.first {
        case "daily" where words.count == 2:
            let (hour, minute) = try time(words[1])
            (minutes, hours) = ([minute], [hour])
            (daysOfMonth, months, weekdays, anyDayOfMonth, anyWeekday) = (Set(1...31), Set(1...12), Set(1...7), true, true)
        case "weekly" where words.count == 3:
            guard let day = Self.weekdayNames.firstIndex(where: { $0.hasPrefix(words[1]) && words[1].count >= 3 }) else {
                throw .invalid(text, reason: "'\(words[1])' is not a day of the week")
            }
            let (hour, minute) = try time(words[2])
            (minutes, hours) = ([minute], [hour])
            (daysOfMonth, months, weekdays, anyDayOfMonth, anyWeekday) = (Set(1...31), Set(1...12), [day + 1], true, false)
        case "cron" where words.count == 6:
            minutes = try Self.field(words[1], 0...59, text)
            hours = try Self.field(words[2], 0...23, text)
            daysOfMonth = try Self.field(words[3], 1...31, text)
            months = try Self.field(words[4], 1...12, text)
            // cron counts Sunday as 0 (or 7); Calendar as 1.
            weekdays = Set(try Self.field(words[5], 0...7, text).map { $0 % 7 + 1 })
            anyDayOfMonth = words[3] == "*"
            anyWeekday = words[5] == "*"
        default:
            throw .invalid(text, reason: "unknown form")
        }
    }

    private static func field(_ text: String, _ range: ClosedRange<Int>, _ whole: String) throws(ParseError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "/")
            let step = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let step, step > 0, pieces.count <= 2 else { throw .invalid(whole, reason: "bad step in '\(part)'") }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else if let dash = pieces[0].firstIndex(of: "-"),
                let low = Int(pieces[0][..<dash]), let high = Int(pieces[0][pieces[0].index(after: dash)...]), low <= high
            {
                span = low...high
            } else if let single = Int(pieces[0]) {
                span = single...single
            } else {
                throw .invalid(whole, reason: "'\(part)' is not a number, range or *")
            }
            guard range.contains(span.lowerBound), range.contains(span.upperBound) else {
                throw .invalid(whole, reason: "'\(part)' is outside \(range.lowerBound)–\(range.upperBound)")
            }
            values.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return values
    }

    /// Whether a calendar day matches; cron's rule: if both day fields are restricted, either may match.
    private func matchesDay(day: Int, month: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        switch (anyDayOfMonth, anyWeekday) {
        case (true, true): return true
        case (true, false): return weekdays.contains(weekday)
        case (false, true): return daysOfMonth.contains(day)
        case (false, false): return daysOfMonth.contains(day) || weekdays.contains(weekday)
        }
    }

    /// The edition key of an occurrence: its wall-clock date and time in the list's zone,
    /// "2026-11-26T0700" (no colon: it goes into Message-IDs).
    public static func editionKey(_ occurrence: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: occurrence)
        return String(format: "%04d-%02d-%02dT%02d%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0, p.hour ?? 0, p.minute ?? 0)
    }

    /// The latest scheduled moment at or before `date`, looking back at most `lookback` days.
    public func latestOccurrence(atOrBefore date: Date, in timeZone: TimeZone, lookback: Int = 400) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var day = calendar.startOfDay(for: date)
        for _ in 0...lookback {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if let d = parts.day, let m = parts.month, let w = parts.weekday, matchesDay(day: d, month: m, weekday: w) {
                // Latest matching wall-clock time that day, at or before `date`.
                let nextDay = calendar.date(byAdding: .day, value: 1, to: day) ?? day.addingTimeInterval(86_400)
                for hour in hours.sorted(by: >) {
                    for minute in minutes.sorted(by: >) {
                        guard let moment = calendar.nextDate(
                            after: day.addingTimeInterval(-1), matching: DateComponents(hour: hour, minute: minute, second: 0),
                            matchingPolicy: .nextTime, repeatedTimePolicy: .first, direction: .forward),
                            moment < nextDay, moment <= date
                        else { continue }
                        return moment
                    }
                }
            }
            guard let previous = calendar.date(byAdding: .day, value: -1, to: day) else { return nil }
            day = calendar.startOfDay(for: previous)
        }
        return nil
    }
}
