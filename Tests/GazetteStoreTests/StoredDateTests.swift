import Foundation
import GRDB
import Testing

@testable import GazetteStore

/// The ledger's hand-written dates are the text GRDB would store for them.
@Suite struct StoredDateTests {
    @Test func datesAreWrittenAsGRDBWritesThem() {
        var random = SystemRandomNumberGenerator()
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 0.0005), Date(timeIntervalSince1970: 0.999_9),
            Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 4_107_542_399.999),  // 2100-02-28 23:59:59.999
            Date(timeIntervalSince1970: 253_402_300_799.999),  // 9999-12-31 23:59:59.999
            Date(timeIntervalSince1970: 253_402_300_800),  // 10000-01-01: GRDB's own
            Date(timeIntervalSince1970: -1.5),  // before 1970: GRDB's own
            Date(timeIntervalSinceReferenceDate: 0), .distantPast, .distantFuture,
        ]
        // Every day of four years around a leap year and a century, at the last millisecond.
        for day in 0..<(4 * 366) { dates.append(Date(timeIntervalSince1970: Double(946_684_800 + day * 86_400) - 0.000_5)) }
        for day in 0..<(4 * 366) { dates.append(Date(timeIntervalSince1970: Double(4_070_908_800 + day * 86_400) + 0.000_9)) }
        // Random instants, instants a hair either side of a millisecond (floating point), and
        // halfway between two.
        for _ in 0..<20_000 {
            let seconds = Double.random(in: 0..<4_102_444_800, using: &random)
            dates.append(Date(timeIntervalSince1970: seconds))
            let millisecond = (seconds * 1000).rounded(.down) / 1000
            dates.append(Date(timeIntervalSince1970: millisecond))
            dates.append(Date(timeIntervalSince1970: millisecond.nextDown))
            dates.append(Date(timeIntervalSince1970: millisecond + 0.000_5))  // half a millisecond: rounds as GRDB rounds
            dates.append(Date(timeIntervalSinceReferenceDate: millisecond - 978_307_200))
        }
        var differences: [String] = []
        for date in dates where StoredDate.databaseValue(date) != date.databaseValue {
            differences.append("\(date.timeIntervalSince1970): \(StoredDate.databaseValue(date)) vs \(date.databaseValue)")
        }
        let mismatches = differences.count
        #expect(mismatches == 0, "\(differences.prefix(5))")
    }
}
