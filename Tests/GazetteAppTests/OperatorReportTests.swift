import FeedFetching
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

/// The operator's report through the real Maildir outbox: sent when sources keep failing,
/// not repeated within a day for the same sources, sent at once for a new one.
@Suite(.serialized) struct OperatorReportTests {
    final class Clock: @unchecked Sendable {
        // Only advanced between runs, never while one is in flight.
        var now = Date(timeIntervalSince1970: 1_795_676_400)
    }

    private func config(in folder: TemporaryDirectory, sources: [(name: String, feed: String)]) throws -> GazetteConfig {
        try TestConfig.write(
            in: folder.url, sources: sources,
            top: ["database = \"gazette.sqlite\"", "timezone = \"Asia/Jerusalem\"", "[report]", "to = \"ops@sample.test\"", "after_failures = 2"])
        return try ConfigLoader.load(path: folder.path("gazette.toml"))
    }

    private func reports(in folder: TemporaryDirectory) throws -> [ParsedEmail] {
        let outbox = folder.url.appendingPathComponent("outbox/new")
        guard FileManager.default.fileExists(atPath: outbox.path) else { return [] }
        return try ParsedEmail.parse(try FileManager.default.contentsOfDirectory(at: outbox, includingPropertiesForKeys: nil))
            .sorted { ($0.headers["Date"] ?? "") < ($1.headers["Date"] ?? "") }
    }

    @Test func failingSourcesAreMailedOnceADayAndANewOneAtOnce() async throws {
        let folder = try TemporaryDirectory("gazette-report")
        defer { folder.remove() }
        let site = try LoopbackHTTPServer(serving: RepoPaths.sampleSite)
        let clock = Clock()
        var config = try config(in: folder, sources: [("news", site.url("feed.xml")), ("gone", site.url("gone.xml"))])
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath), http: CurlHTTPClient(),
            transport: MaildirTransport(directory: folder.url.appendingPathComponent("outbox")),
            templates: try DigestTemplates.load(), now: { clock.now })
        func run() async throws -> RunReport {
            let report = try await DailyRun(config: config).run(environment: environment)
            clock.now += 900
            return report
        }

        let first = try await run()
        #expect(first.failingSources.isEmpty, "one failure is not yet a pattern")
        #expect(first.operatorReport == .notDue)
        let second = try await run()
        #expect(second.failingSources.map(\.source.name) == ["gone"])
        #expect(second.operatorReport == .sent(to: "ops@sample.test", sources: ["gone"]))
        let mails = try reports(in: folder)
        #expect(mails.count == 1)
        let mail = try #require(mails.first)
        #expect(mail.type == "text/plain")
        #expect(mail.defects.isEmpty)
        #expect(mail.headers["To"] == "ops@sample.test")
        #expect(mail.headers["From"] == "Gazette <digest@sample.israelhayom.test>")
        #expect(mail.headers["Subject"] == "Gazette: source gone keeps failing")
        #expect(mail.headers["Auto-Submitted"] == "auto-generated")
        let body = try #require(mail.parts.first?.body)
        #expect(body.contains("gone: 2 failed runs in a row"))
        #expect(body.contains("feed: \(site.url("gone.xml"))"))
        #expect(body.contains("last success: never"))
        #expect(body.contains("last error: fetch: \(site.url("gone.xml")): the server answered HTTP 404"))
        #expect(!body.contains("news:"))

        // Every 15 minutes for the rest of the day: the same failure, no new mail.
        for _ in 0..<4 { #expect(try await run().operatorReport == .notDue) }
        #expect(try reports(in: folder).count == 1)

        // A second source starts failing: reported at once, with the first.
        config = try self.config(
            in: folder, sources: [("news", site.url("feed.xml")), ("gone", site.url("gone.xml")), ("lost", site.url("lost.xml"))])
        _ = try await run()
        #expect(try await run().operatorReport == .sent(to: "ops@sample.test", sources: ["gone", "lost"]))
        #expect(try reports(in: folder).last?.headers["Subject"] == "Gazette: 2 sources keep failing")

        // A day later the same failures are worth repeating.
        clock.now += 24 * 3600
        #expect(try await run().operatorReport == .sent(to: "ops@sample.test", sources: ["gone", "lost"]))
        #expect(try reports(in: folder).count == 3)

        // Once nothing fails the report is forgotten; a new failure later is news again.
        config = try self.config(in: folder, sources: [("news", site.url("feed.xml"))])
        #expect(try await run().operatorReport == .notDue)
        #expect(try environment.database.setting("operatorReport") == nil)
    }

    @Test func aTransportFailureIsReportedAndRetriedNextRun() async throws {
        let folder = try TemporaryDirectory("gazette-report-fail")
        defer { folder.remove() }
        let clock = Clock()
        let config = try config(in: folder, sources: [("gone", "http://127.0.0.1:1/feed.xml")])
        var environment = AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath), http: CurlHTTPClient(),
            transport: MaildirTransport(directory: URL(fileURLWithPath: "/proc/no-outbox-here")),
            templates: try DigestTemplates.load(), now: { clock.now })
        _ = try await DailyRun(config: config).run(environment: environment)
        let failed = try await DailyRun(config: config).run(environment: environment)
        guard case .failed(let reason)? = failed.operatorReport else {
            Issue.record("expected a failed report, got \(String(describing: failed.operatorReport))")
            return
        }
        #expect(reason.contains("outbox"))
        environment.transport = MaildirTransport(directory: folder.url.appendingPathComponent("outbox"))
        let retried = try await DailyRun(config: config).run(environment: environment)
        #expect(retried.operatorReport == .sent(to: "ops@sample.test", sources: ["gone"]))
    }
}
