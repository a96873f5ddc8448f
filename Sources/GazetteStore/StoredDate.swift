import Foundation
import GRDB
import GazetteModel

/// A date as GRDB stores one ("yyyy-MM-dd HH:mm:ss.SSS", UTC, to the nearest millisecond),
/// written by hand. The ledger binds four dates a message, and GRDB formats each with a
/// `DateFormatter`: 2% of a 100,000-subscriber run's CPU. `StoredDateTests` holds it to
/// GRDB's own `databaseValue` over random dates and the edges of days, years and milliseconds;
/// dates outside 1970–9999 go through GRDB.
enum StoredDate {
    static func databaseValue(_ date: Date) -> DatabaseValue {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        guard millis >= 0, millis < 253_402_300_800_000 else { return date.databaseValue }  // 10000-01-01
        let total = Int64(millis)
        let (days, millisOfDay) = total.quotientAndRemainder(dividingBy: 86_400_000)
        let (year, month, day) = CivilDate.date(daysSince1970: Int(days))
        var bytes = [UInt8](repeating: 0, count: 23)
        func put(_ value: Int64, at offset: Int, digits: Int) {
            var value = value
            for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                bytes[index] = 0x30 + UInt8(value % 10)
                value /= 10
            }
        }
        put(Int64(year), at: 0, digits: 4)
        put(Int64(month), at: 5, digits: 2)
        put(Int64(day), at: 8, digits: 2)
        put(millisOfDay / 3_600_000, at: 11, digits: 2)
        put(millisOfDay / 60_000 % 60, at: 14, digits: 2)
        put(millisOfDay / 1_000 % 60, at: 17, digits: 2)
        put(millisOfDay % 1_000, at: 20, digits: 3)
        bytes[4] = 0x2D
        bytes[7] = 0x2D
        bytes[10] = 0x20
        bytes[13] = 0x3A
        bytes[16] = 0x3A
        bytes[19] = 0x2E
        return String(decoding: bytes, as: UTF8.self).databaseValue
    }
}
