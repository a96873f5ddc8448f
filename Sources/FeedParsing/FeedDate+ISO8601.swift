import Foundation

/// ISO 8601 as feeds write it: W3CDTF/RFC 3339 (Atom, RSS 1.0, `dc:date`) with its partial
/// forms, MSSQL's space-separated form, and the compact and ordinal forms of ISO 8601:1988.
extension FeedDate {
    /// A cursor over the ASCII bytes of a date.
    private struct Bytes {
        let bytes: [UInt8]
        var index = 0

        init(_ text: String) { bytes = Array(text.utf8) }

        var atEnd: Bool { index >= bytes.count }
        var next: UInt8? { atEnd ? nil : bytes[index] }

        /// Exactly `width` digits as a number, consumed; nil (nothing consumed) otherwise.
        mutating func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += width
            return value
        }

        /// How many digits follow, without consuming them.
        var digitRun: Int {
            var end = index
            while end < bytes.count, bytes[end] >= 48, bytes[end] <= 57 { end += 1 }
            return end - index
        }

        mutating func skip(_ byte: UInt8) -> Bool {
            guard next == byte else { return false }
            index += 1
            return true
        }

        var rest: Substring { String(decoding: bytes[index...], as: UTF8.self)[...] }
    }

    /// "2026-11-26T07:00:00Z", "2026-11-26 07:00:00.123+02:00", "2026-11-26T09:00+0200",
    /// "2026-11-26", "2003-12" and "2003" (the first of the month or year, UTC).
    static func w3cdtf(_ text: String) -> Date? {
        var scanner = Bytes(text)
        guard let year = scanner.number(4) else { return nil }
        var month = 1, day = 1
        if scanner.skip(UInt8(ascii: "-")) {
            guard scanner.digitRun == 2, let m = scanner.number(2) else { return nil }
            month = m
            if scanner.skip(UInt8(ascii: "-")) {
                guard scanner.digitRun == 2, let d = scanner.number(2) else { return nil }
                day = d
            }
        }
        guard scanner.atEnd || [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(scanner.next ?? 0) else {
            return nil
        }
        return time(after: &scanner) { hour, minute, second, fraction, offset in
            makeDate(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
                offsetMinutes: offset)
        }
    }

    /// The compact and ordinal forms Universal Feed Parser reads: "20031231", "031231",
    /// "2003335", "2003-335", "03335", "03-335", "-0312" and "-03-12" (December 2003), each
    /// optionally followed by a time ("20031231T10:14:55Z"). Two-digit years are this century.
    static func compactISO8601(_ text: String) -> Date? {
        var scanner = Bytes(text)
        var year: Int
        var month = 1, day = 1
        if scanner.skip(UInt8(ascii: "-")) {  // -YYMM, -YY-MM
            guard let yy = scanner.number(2) else { return nil }
            year = 2000 + yy
            _ = scanner.skip(UInt8(ascii: "-"))
            guard scanner.digitRun == 2, let m = scanner.number(2) else { return nil }
            month = m
        } else {
            let run = scanner.digitRun
            let yearWidth = run == 4 || run == 7 || run == 8 ? 4 : 2
            guard let y = scanner.number(yearWidth) else { return nil }
            year = yearWidth == 2 ? 2000 + y : y
            _ = scanner.skip(UInt8(ascii: "-"))
            switch scanner.digitRun {
            case 3:
                guard let ordinal = scanner.number(3), let date = monthAndDay(ordinal: ordinal, year: year) else { return nil }
                (month, day) = date
            case 4:
                guard let m = scanner.number(2), let d = scanner.number(2) else { return nil }
                (month, day) = (m, d)
            case 2:
                guard let m = scanner.number(2), scanner.skip(UInt8(ascii: "-")), scanner.digitRun == 2, let d = scanner.number(2)
                else { return nil }
                (month, day) = (m, d)
            default:
                return nil
            }
        }
        return time(after: &scanner) { hour, minute, second, fraction, offset in
            makeDate(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
                offsetMinutes: offset)
        }
    }

    /// Reads an optional "Thh:mm[:ss[.fff]]" and zone after a date, then builds the date.
    private static func time(
        after scanner: inout Bytes, _ build: (Int, Int, Int, Double, Int) -> Date?
    ) -> Date? {
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        if scanner.skip(UInt8(ascii: "T")) || scanner.skip(UInt8(ascii: "t")) || scanner.skip(UInt8(ascii: " ")) {
            guard let h = scanner.number(2), scanner.skip(UInt8(ascii: ":")), let m = scanner.number(2) else { return nil }
            (hour, minute) = (h, m)
            if scanner.skip(UInt8(ascii: ":")) {
                guard let s = scanner.number(2) else { return nil }
                second = s
                if scanner.skip(UInt8(ascii: ".")) || scanner.skip(UInt8(ascii: ",")) {
                    var scale = 0.1
                    while let byte = scanner.next, byte >= 48, byte <= 57 {
                        fraction += Double(byte - 48) * scale
                        scale /= 10
                        scanner.index += 1
                    }
                }
            }
        }
        var offset = 0
        let rest = scanner.rest.drop { $0 == " " }
        if !rest.isEmpty {
            guard let parsed = zoneOffset(rest) else { return nil }
            offset = parsed
        }
        return build(hour, minute, second, fraction, offset)
    }
}
