import Foundation
import GazetteModel

/// RFC 3339 UTC times ("2025-11-12T13:22:00Z") written from a date's seconds by hand.
///
/// Why: `parse-feed --json` writes three times per entry, and a `Date.ISO8601FormatStyle`
/// made for each (a calendar, its date components, the string put together) cost more than
/// writing the rest of the entry's small fields. The output is the format style's: whole
/// seconds, rounded down. Dates before 1600 or after 9999 are left to the format style,
/// whose Gregorian calendar turns Julian before October 1582.
enum RFC3339UTC {
    /// The format style `JSONValue.time` used for every date, now for those outside the range.
    static func formatted(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    /// 1600-01-01T00:00:00Z and 9999-12-31T23:59:59Z, in seconds since 1970.
    static let handled: ClosedRange<Double> = -11_676_096_000...253_402_300_799

    static func string(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970.rounded(.down)
        guard handled.contains(interval) else { return formatted(date) }
        let seconds = Int(interval)
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let (year, month, day) = CivilDate.date(daysSince1970: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        append(year, digits: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(month, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(day, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        append(secondOfDay / 3_600, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func floorDivision(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    private static func append(_ value: Int, digits: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}
