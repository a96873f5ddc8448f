import FeedFetching
import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Synchronization
import Testing

/// The whole daily job against a real HTTP server on 127.0.0.1 serving the sample site, a
/// real SQLite file and a real outbox folder.
@Suite(.serialized) struct DailyRunTests {
    final class Clock: @unchecked Sendable {
        // Only advanced between runs, never while one is in flight.
        var now = Date(timeIntervalSince1970: 1_795_676_400)
    }

    struct Setup {
        let folder: TemporaryDirectory
        let server: LoopbackHTTPServer
        let config: GazetteConfig
        let environment: AppEnvironment
        let clock: Clock
        var outbox: URL { folder.url.appendingPathComponent("outbox/new") }

        func emails() throws -> [URL] {
            try FileManager.default.contentsOfDirectory(at: outbox, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
        }
    }

    private func setUp(extraSources: [(name: String, feed: String)] = [], list: [String] = []) throws -> Setup {
        let folder = try TemporaryDirectory("gazette-run")
        let server = try LoopbackHTTPServer(serving: RepoPaths.sampleSite)
        try TestConfig.write(
            in: folder.url, sources: [("news", server.url("feed.xml")), ("opinions", server.url("opinions.atom"))] + extraSources,
            top: ["database = \"gazette.sqlite\"", "timezone = \"Asia/Jerusalem\""], list: list)
        let config = try ConfigLoader.load(path: folder.path("gazette.toml"))
        let clock = Clock()
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath),
            http: CurlHTTPClient(),
            transport: MaildirTransport(directory: folder.url.appendingPathComponent("outbox")),
            templates: try DigestTemplates.load(),
            now: { clock.now })
        let csv = try String(contentsOf: RepoPaths.sampleSubscribers, encoding: .utf8)
        let imported = try SubscriberAdmin(config: config).importCSV(text: csv, defaultList: nil, environment: environment)
        #expect(imported.added == 4)
        #expect(imported.rejected.isEmpty)
        return Setup(folder: folder, server: server, config: config, environment: environment, clock: clock)
    }

    @Test func theDailyJobMailsEachSubscriberOnceWithTheirSelection() async throws {
        let setup = try setUp()
        defer { setup.folder.remove() }

        let first = try await DailyRun(config: setup.config).run(environment: setup.environment)
        #expect(first.newArticles == 32)
        #expect(first.failedSources.isEmpty)
        #expect(first.sent == 4)
        let emails = try setup.emails()
        #expect(emails.count == 4)

        let parsed = try ParsedEmail.parse(emails)
        for email in parsed {
            #expect(email.type == "multipart/alternative")
            #expect(email.defects.isEmpty)
            #expect(email.parts.map(\.type) == ["text/plain", "text/html"])
            #expect(email.parts.allSatisfy { $0.charset == "utf-8" })
            #expect(email.maxLineLength <= 998)
            #expect(email.maxBodyLineLength <= 76)
            #expect(!email.bareLF)
            #expect(email.headers["From"] == "Sample Digest <digest@sample.israelhayom.test>")
            // The subject leads with the reader's first story (`subject`'s default).
            #expect(email.headers["Subject"]?.hasSuffix(" more — Israel Hayom Sample Daily") == true, "\(email.headers["Subject"] ?? "")")
            #expect(email.headers["Message-ID"]?.hasSuffix("@sample.israelhayom.test>") == true)
        }
        func email(to address: String) throws -> ParsedEmail {
            try #require(parsed.first { $0.headers["To"]?.contains(address) == true })
        }
        // The editor follows the whole list: several sections, all 32 articles.
        let editor = try email(to: "editor@gazette.test").parts[0].body
        #expect(editor.contains("32 new articles"))
        #expect(editor.contains("== News > Middle East"))
        #expect(editor.contains("== Opinions"))
        // The Middle East desk gets only that section and its subsections.
        let mideast = try email(to: "mideast@gazette.test").parts[0].body
        #expect(mideast.contains("== News > Middle East"))
        #expect(!mideast.contains("== Opinions"))
        #expect(!mideast.contains("== Sports"))
        // Tag followers get articles tagged Turkey or ISF, whatever their section.
        let turkey = try email(to: "turkey-watch@gazette.test").parts[0].body
        #expect(turkey.contains("Turkey"))
        #expect(!turkey.contains("== Sports"))
        // A Hebrew display name survives the To header.
        #expect(try email(to: "reader@gazette.test").headers["To"] == "נועה ברק <reader@gazette.test>")

        // Running again the same day: the feeds answer 304 and nobody gets a second digest.
        setup.clock.now += 3600
        let second = try await DailyRun(config: setup.config).run(environment: setup.environment)
        #expect(second.fetches.allSatisfy { $0.outcome == .notModified })
        #expect(second.sent == 0)
        #expect(try setup.emails().count == 4)
        let conditional = setup.server.requests()
        #expect(conditional.count == 4)
    }

    @Test func everySubscriberOfAnEditionGetsTheSameWindowWhileTheClockMoves() async throws {
        let setup = try setUp()
        defer { setup.folder.remove() }
        // A clock that moves on every reading, as a real one does during a long send. Windows
        // that each ended at their own reading would each need their own candidate pool.
        let start = setup.clock.now
        let ticks = Ticks()
        var environment = setup.environment
        environment.now = { start.addingTimeInterval(ticks.next()) }
        let report = try await DailyRun(config: setup.config).run(environment: environment)
        #expect(report.sent == 4)
        let subscribers = try environment.database.subscriptions(inList: "daily").compactMap(\.0.id)
        let edition = DigestDelivery(timeZone: setup.config.timeZone).edition(of: try setup.config.list(named: "daily"), at: start).key
        let windows = try subscribers.compactMap { try environment.database.delivery(subscriberID: $0, listName: "daily", edition: edition)?.window }
        #expect(windows.count == 4)
        #expect(Set(windows).count == 1)
    }

    final class Ticks: @unchecked Sendable {
        private var count = 0.0
        private let lock = NSLock()
        func next() -> Double { lock.withLock { count += 0.5; return count } }
    }

    @Test func theHTMLStaysUnderItsBudgetAndAnEmptyDayCanSendANote() async throws {
        let setup = try setUp(list: ["html_budget_kb = 20", "empty_digest = \"note\""])
        defer { setup.folder.remove() }
        let first = try await DailyRun(config: setup.config).run(environment: setup.environment)
        #expect(first.sent == 4)
        let parsed = try ParsedEmail.parse(try setup.emails())
        let editor = try #require(parsed.first { $0.headers["To"]?.contains("editor@") == true })
        let html = try #require(editor.parts.last?.body)
        #expect(html.utf8.count <= 20_000)
        #expect(html.contains(" more in "))  // what did not fit is counted, not silently lost

        // The next day brings nothing new: a short note instead of silence.
        setup.clock.now += 86_400
        let second = try await DailyRun(config: setup.config).run(environment: setup.environment)
        #expect(second.sent == 4)
        let notes = try ParsedEmail.parse(try setup.emails()).filter {
            $0.headers["Subject"] == "Nothing new — Israel Hayom Sample Daily"
        }
        #expect(notes.count == 4)
        #expect(notes.allSatisfy { $0.parts.first?.body.contains("Nothing new since 26 Nov 2026") == true })
    }

    @Test func aBrokenSourceIsReportedAndTheOthersStillArrive() async throws {
        let setup = try setUp(extraSources: [("missing", "http://127.0.0.1:1/feed.xml")])
        defer { setup.folder.remove() }
        let report = try await DailyRun(config: setup.config).run(environment: setup.environment)
        #expect(report.failedSources.map(\.source) == ["missing"])
        #expect(report.newArticles == 32)
        #expect(report.sent == 4)
        #expect(report.hasFailures)
        #expect(!report.failedCompletely)
        let health = try setup.environment.database.sourceHealth().first { $0.source.name == "missing" }
        #expect(health?.consecutiveFailures == 1)
        #expect(health?.lastError?.contains("127.0.0.1:1") == true)
    }

    @Test func aFailedDeliveryIsRetriedNextRunWithTheSameMessageID() async throws {
        struct RefusingTransport: MailTransport {
            func deliver(_ message: OutgoingMessage) async throws {
                throw MailTransportError.connection(server: "smtp://127.0.0.1:9", reason: "connection refused")
            }
        }
        let setup = try setUp()
        defer { setup.folder.remove() }
        var failing = setup.environment
        failing.transport = RefusingTransport()
        let failed = try await DailyRun(config: setup.config).run(environment: failing)
        #expect(failed.failedDeliveries.count == 4)
        let failedIDs = Set(try setup.environment.database.deliveries().map(\.messageID))
        // The first message finds no server, so the others are not tried: their rows wait.
        #expect(try setup.environment.database.deliveries().map(\.status).sorted { $0.rawValue < $1.rawValue } == [.failed, .pending, .pending, .pending])

        setup.clock.now += 600
        let retried = try await DailyRun(config: setup.config).run(environment: setup.environment)
        #expect(retried.sent == 4)
        let sentIDs = Set(try ParsedEmail.parse(try setup.emails()).compactMap { $0.headers["Message-ID"] }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")) })
        #expect(sentIDs == failedIDs)
        // The articles of the failed day are in the retried digest.
        let editor = try ParsedEmail.parse(try setup.emails()).first { $0.headers["To"]?.contains("editor@") == true }
        #expect(editor?.parts.first?.body.contains("32 new articles") == true)
    }
}

/// The daily job over SMTP to a real server on 127.0.0.1 whose recipients defer, drop,
/// refuse or accept.
@Suite struct SMTPRunTests {
    @Test func deferralsAreRetriedRefusalsBounceAndNothingArrivesTwice() async throws {
        let folder = try TemporaryDirectory("gazette-smtp-run")
        defer { folder.remove() }
        let smtp = try LoopbackSMTPServer()
        try TestConfig.write(
            in: folder.url, sources: [TestConfig.sampleFeeds[0]],
            delivery: TestConfig.smtp(smtp, retryDelays: "[0.2]", extra: ["bounce_limit = 1"]))
        let config = try ConfigLoader.load(path: folder.path("gazette.toml"))
        let clock = DailyRunTests.Clock()
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath), http: CurlHTTPClient(),
            transport: config.delivery.makeTransport(), templates: try DigestTemplates.load(), now: { clock.now })
        let admin = SubscriberAdmin(config: config)
        for email in ["editor@sample.test", "tempfail-a@sample.test", "drop-b@sample.test", "reject-c@sample.test", "busy-d@sample.test"] {
            try admin.add(NewSubscriber(email: email), environment: environment)
        }

        let first = try await DailyRun(config: config).run(environment: environment)
        func outcome(_ report: RunReport, _ email: String) -> DeliveryResult.Outcome? {
            report.deliveries.first { $0.email == email }?.outcome
        }
        #expect(first.sent == 3)
        guard case .rejected(let refusal) = outcome(first, "reject-c@sample.test") else { Issue.record("expected a refusal"); return }
        #expect(refusal.contains("550"))
        guard case .failed(let deferral) = outcome(first, "busy-d@sample.test") else { Issue.record("expected a deferral"); return }
        #expect(deferral.contains("421"))
        #expect(try environment.database.subscriber(email: "reject-c@sample.test")?.status == .bounced)

        let accepted = try smtp.accepted()
        #expect(accepted.flatMap(\.to).sorted() == ["drop-b@sample.test", "editor@sample.test", "tempfail-a@sample.test"])
        #expect(Set(accepted.map(\.messageID)).count == accepted.count)

        // The next run: the bounced address is left alone, the busy one tried again, nothing resent.
        clock.now += 3600
        let second = try await DailyRun(config: config).run(environment: environment)
        #expect(second.sent == 0)
        // The edition was handled for everybody: the next run only retries the deferred address.
        #expect(outcome(second, "reject-c@sample.test") == nil)
        #expect(outcome(second, "editor@sample.test") == nil)
        guard case .failed = outcome(second, "busy-d@sample.test") else { Issue.record("expected the busy address to be retried"); return }
        #expect(try smtp.accepted().count == 3)
        let busyRow = try environment.database.deliveries().first { $0.status == .failed && !$0.permanent }
        #expect(busyRow?.attempts == 4)  // two tries in each run: the first and one retry after 0.2 s
    }

    @Test func theDigestsGoOutOverTheConfiguredConnectionsEachOnceAndAllCommitted() async throws {
        let folder = try TemporaryDirectory("gazette-smtp-connections")
        defer { folder.remove() }
        let smtp = try LoopbackSMTPServer()
        try TestConfig.write(in: folder.url, sources: [TestConfig.sampleFeeds[0]], delivery: TestConfig.smtp(smtp, extra: ["connections = 3"]))
        let config = try ConfigLoader.load(path: folder.path("gazette.toml"))
        guard case .smtp(let settings) = config.delivery else { Issue.record("expected SMTP"); return }
        #expect(settings.connections == 3)
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath), http: CurlHTTPClient(),
            transport: config.delivery.makeTransport(), templates: try DigestTemplates.load())
        let readers = (1...9).map { "reader\($0)@sample.test" }
        for email in readers { try SubscriberAdmin(config: config).add(NewSubscriber(email: email), environment: environment) }
        let report = try await DailyRun(config: config).run(environment: environment)
        #expect(report.sent == 9)
        #expect(report.deliveries.map(\.email) == readers, "results in address order, whatever order the connections finished in")
        let accepted = try smtp.accepted()
        #expect(accepted.flatMap(\.to).sorted() == readers)
        #expect(Set(accepted.map(\.messageID)).count == 9)
        #expect(try smtp.commands().filter { $0 == "EHLO" }.count <= 3)
        // Every acceptance is committed by the time the run returns, batch or not.
        #expect(try environment.database.deliveries().allSatisfy { $0.status == .sent })
    }

    /// A mail server that is not running is met once: the first message fails with one clear
    /// reason, the rest are not tried (nor held in memory for a retry), and the next run, with
    /// the server back, sends every one of them, each with the Message-ID it was claimed with.
    @Test func aDeadServerStopsTheSendingAndTheNextRunSendsEveryone() async throws {
        let folder = try TemporaryDirectory("gazette-smtp-dead")
        defer { folder.remove() }
        let dead = try LoopbackSMTPServer()
        dead.stop()
        try TestConfig.write(in: folder.url, sources: [TestConfig.sampleFeeds[0]], delivery: ["smtp = \"\(dead.url)\"", "starttls = \"off\"", "retry_delays = [0.05]"])
        let config = try ConfigLoader.load(path: folder.path("gazette.toml"))
        // Counts the messages made: after the first failure, the others' rows are only claimed.
        let made = Mutex(0)
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath), http: CurlHTTPClient(),
            transport: config.delivery.makeTransport(), templates: try DigestTemplates.load(),
            checkpoint: { if $0 == .beforeRender { made.withLock { $0 += 1 } } })
        let readers = ["a@sample.test", "b@sample.test", "c@sample.test", "d@sample.test"]
        for email in readers {
            try SubscriberAdmin(config: config).add(NewSubscriber(email: email), environment: environment)
        }
        let report = try await DailyRun(config: config).run(environment: environment)
        #expect(report.sent == 0)
        let failed = report.deliveries.filter { if case .failed = $0.outcome { true } else { false } }
        let notTried = report.deliveries.filter { if case .notAttempted = $0.outcome { true } else { false } }
        #expect(failed.count == 1)
        #expect(notTried.count == 3)
        #expect(failed.first.map { Self.reason($0.outcome).contains("nothing answers") } == true)
        #expect(notTried.allSatisfy { Self.reason($0.outcome).contains("nothing answers") })
        let claimed = try environment.database.deliveries()
        #expect(claimed.count == 4)
        #expect(claimed.allSatisfy { $0.articleCount > 0 })
        #expect(made.withLock { $0 } == 1)

        let back = try LoopbackSMTPServer(restarting: dead)
        defer { back.stop() }
        let retried = try await DailyRun(config: config).run(environment: environment)
        #expect(retried.sent == 4)
        #expect(made.withLock { $0 } == 5)
        let accepted = try back.accepted()
        #expect(accepted.flatMap(\.to).sorted() == readers)
        #expect(Set(accepted.map { $0.messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")) }) == Set(claimed.map(\.messageID)))
    }

    private static func reason(_ outcome: DeliveryResult.Outcome) -> String {
        switch outcome {
        case .failed(let reason), .notAttempted(let reason): reason
        default: ""
        }
    }

    @Test func missingSTARTTLSStopsTheSendingWithOneClearReason() async throws {
        let folder = try TemporaryDirectory("gazette-smtp-tls")
        defer { folder.remove() }
        let smtp = try LoopbackSMTPServer()
        try TestConfig.write(in: folder.url, sources: [TestConfig.sampleFeeds[0]], delivery: ["smtp = \"\(smtp.url)\"", "retry_delays = []"])
        let config = try ConfigLoader.load(path: folder.path("gazette.toml"))
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath), http: CurlHTTPClient(),
            transport: config.delivery.makeTransport(), templates: try DigestTemplates.load())
        for email in ["a@sample.test", "b@sample.test", "c@sample.test"] {
            try SubscriberAdmin(config: config).add(NewSubscriber(email: email), environment: environment)
        }
        let report = try await DailyRun(config: config).run(environment: environment)
        #expect(report.sent == 0)
        #expect(report.failedDeliveries.count == 3)
        #expect(report.deliveries.filter { if case .notAttempted = $0.outcome { true } else { false } }.count == 2)
        #expect(try smtp.accepted().isEmpty)
        #expect(report.failedCompletely == false)  // the fetch worked
    }
}

/// What `gazette preview --format eml` shows is what `gazette send` hands to the transport.
@Suite struct PreviewFidelityTests {
    /// Records what it is handed: the unit seam between delivery and the wire.
    actor RecordingTransport: MailTransport {
        private(set) var messages: [OutgoingMessage] = []
        func deliver(_ message: OutgoingMessage) async throws { messages.append(message) }
    }

    /// An environment where a preview and a send can be compared byte for byte: a fixed
    /// clock, token and signing key, no network, and `recorder` as the transport.
    static func fixedEnvironment(_ config: GazetteConfig, recorder: RecordingTransport) throws -> AppEnvironment {
        let now = Date(timeIntervalSince1970: 1_795_676_400)
        return AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath), http: OfflineHTTPClient(), transport: recorder,
            templates: try DigestTemplates.load(), now: { now }, makeToken: { "0123456789abcdef" },
            signingKey: SigningKey(secret: Data("fixed".utf8)))
    }

    @Test func previewEMLIsByteIdenticalToTheSentMessage() async throws {
        let folder = try TemporaryDirectory("gazette-fidelity")
        defer { folder.remove() }
        try TestConfig.write(in: folder.url, top: ["database = \"gazette.sqlite\"", "timezone = \"Asia/Jerusalem\""])
        let config = try ConfigLoader.load(path: folder.path("gazette.toml"))
        let recorder = RecordingTransport()
        let environment = try PreviewFidelityTests.fixedEnvironment(config, recorder: recorder)
        let csv = try String(contentsOf: RepoPaths.sampleSubscribers, encoding: .utf8)
        _ = try SubscriberAdmin(config: config).importCSV(text: csv, defaultList: nil, environment: environment)
        _ = try await SourceFetch().run(config.sources, environment: environment)

        var previews: [String: Data] = [:]
        for email in ["editor@gazette.test", "reader@gazette.test", "turkey-watch@gazette.test"] {
            previews[email] = try Preview(config: config).run(listName: "daily", email: email, environment: environment).eml
        }
        let report = try await DailyRun(config: config, fetchFirst: false).run(environment: environment)
        #expect(report.sent == 4)
        let sent = await recorder.messages
        for (email, eml) in previews {
            let message = try #require(sent.first { $0.recipient == email })
            #expect(message.data == eml, "preview and send differ for \(email)")
        }
    }
}
