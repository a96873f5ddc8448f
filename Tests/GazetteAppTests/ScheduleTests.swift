import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

@Suite struct ScheduleTests {
    let jerusalem = TimeZone(identifier: "Asia/Jerusalem") ?? .gmt
    let newYork = TimeZone(identifier: "America/New_York") ?? .gmt

    private func date(_ text: String, _ zone: TimeZone) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text) ?? Date.distantPast
    }

    @Test func dailyWeeklyAndCronFindTheLatestOccurrence() throws {
        let daily = try Schedule(parsing: "daily 07:00")
        #expect(daily.latestOccurrence(atOrBefore: date("2026-11-26 09:15", jerusalem), in: jerusalem) == date("2026-11-26 07:00", jerusalem))
        #expect(daily.latestOccurrence(atOrBefore: date("2026-11-26 06:59", jerusalem), in: jerusalem) == date("2026-11-25 07:00", jerusalem))
        let weekly = try Schedule(parsing: "weekly friday 06:30")  // 2026-11-27 is a Friday
        #expect(weekly.latestOccurrence(atOrBefore: date("2026-11-26 09:00", jerusalem), in: jerusalem) == date("2026-11-20 06:30", jerusalem))
        let weekdays = try Schedule(parsing: "cron 30 6,18 * * 1-5")
        #expect(weekdays.latestOccurrence(atOrBefore: date("2026-11-29 12:00", jerusalem), in: jerusalem) == date("2026-11-27 18:30", jerusalem))
        #expect(Schedule.editionKey(date("2026-11-26 07:00", jerusalem), in: jerusalem) == "2026-11-26T0700")
    }

    @Test func aSkippedWallClockTimeFallsOnTheNextValidMoment() throws {
        // 2026-03-08 02:30 does not exist in New York: clocks jump from 02:00 to 03:00.
        let schedule = try Schedule(parsing: "daily 02:30")
        let occurrence = try #require(schedule.latestOccurrence(atOrBefore: date("2026-03-08 12:00", newYork), in: newYork))
        #expect(occurrence == date("2026-03-08 03:00", newYork))
    }

    @Test(arguments: ["", "hourly", "daily 25:00", "weekly someday 07:00", "cron 0 7 * *", "cron 61 7 * * *", "cron 0 7 * * mon"])
    func nonsenseIsRefusedWithTheForms(_ text: String) {
        #expect(throws: Schedule.ParseError.self) { try Schedule(parsing: text) }
    }
}

/// A week across a daylight-saving change, with `gazette run` every 15 minutes and news every
/// hour: exactly one digest a day, at the list's local 07:00.
@Suite struct DaylightSavingTests {
    actor RecordingTransport: MailTransport {
        private(set) var sent: [Date] = []
        let clock: @Sendable () -> Date
        init(clock: @escaping @Sendable () -> Date) { self.clock = clock }
        func deliver(_ message: OutgoingMessage) async throws { sent.append(clock()) }
    }

    final class Clock: @unchecked Sendable {
        var now: Date
        init(_ now: Date) { self.now = now }
    }

    @Test(arguments: [("America/New_York", "2026-03-05 00:00"), ("Europe/London", "2026-10-22 00:00")])
    func oneDigestADayAcrossTheChange(zoneName: String, start: String) async throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let clock = Clock(try #require(formatter.date(from: start)))
        var list = SubscriberList.fixture()
        list.rules.stabilization = 0
        let config = GazetteConfig(
            file: "gazette.toml", databasePath: ":memory:", timeZone: zone, delivery: .outbox(folder: "/unused"), retryDelays: [],
            sources: [], lists: [list])
        let transport = RecordingTransport(clock: { clock.now })
        let database = try AppDatabase.inMemory()
        try database.syncSources([Source(name: "sample", feedURL: "file:///unused")])
        let environment = AppEnvironment(
            database: database, http: OfflineHTTPClient(), transport: transport, templates: try DigestTemplates.load(),
            now: { clock.now })
        try SubscriberAdmin(config: config).add(NewSubscriber(email: "reader@sample.test"), environment: environment)

        for step in 0..<(7 * 96) {
            if step % 4 == 0 {
                _ = try database.insertNewArticles([Article.fixture("Hourly story number \(step)", firstSeenAt: clock.now)])
            }
            _ = try await DailyRun(config: config, fetchFirst: false).run(environment: environment)
            clock.now += 15 * 60
        }
        let sent = await transport.sent
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let days = sent.map { calendar.dateComponents([.year, .month, .day], from: $0) }
        #expect(sent.count == 7, "\(sent.map { formatter.string(from: $0) })")
        #expect(Set(days).count == sent.count)  // never two on one day
        for moment in sent {
            let local = calendar.dateComponents([.hour, .minute], from: moment)
            #expect(local.hour == 7 && (local.minute ?? 99) < 15, "sent at \(formatter.string(from: moment))")
        }
    }
}
