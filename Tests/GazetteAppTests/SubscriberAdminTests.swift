import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

/// A real SQLite file in a temporary folder, an outbox folder as the transport, a fixed clock.
struct AdminFixture {
    let folder: TemporaryDirectory
    let config: GazetteConfig
    let environment: AppEnvironment
    let key = SigningKey(secret: Data("a test key that is long enough".utf8))
    static let now = Date(timeIntervalSince1970: 1_795_676_400)

    init(lists: [SubscriberList] = [.fixture(name: "daily"), .fixture(name: "weekly")]) throws {
        folder = try TemporaryDirectory("gazette-admin")
        config = GazetteConfig(
            file: "gazette.toml", databasePath: folder.path("gazette.sqlite"), delivery: .outbox(folder: folder.path("outbox")),
            sources: [], lists: lists)
        environment = AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath), http: OfflineHTTPClient(),
            transport: MaildirTransport(directory: folder.url.appendingPathComponent("outbox")), templates: try DigestTemplates.load(),
            now: { AdminFixture.now }, makeToken: { "0123456789abcdef" }, signingKey: SigningKey(secret: Data("a test key that is long enough".utf8)))
    }

    var admin: SubscriberAdmin { SubscriberAdmin(config: config) }

    func status(_ email: String) throws -> SubscriberStatus? { try environment.database.subscriber(email: email)?.status }

    /// The messages in the outbox, as text.
    func outbox() throws -> [String] {
        let new = folder.url.appendingPathComponent("outbox/new")
        guard FileManager.default.fileExists(atPath: new.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: new, includingPropertiesForKeys: nil).map {
            try String(contentsOf: $0, encoding: .utf8)
        }
    }
}

@Suite struct SubscriberAdminTests {
    @Test func anUnsubscribedAddressStaysUnsubscribedWhateverTheImportOrTypo() throws {
        let fixture = try AdminFixture()
        defer { fixture.folder.remove() }
        let admin = fixture.admin
        let environment = fixture.environment
        try admin.add(NewSubscriber(email: "dana@sample.test"), environment: environment)
        _ = try admin.unsubscribe(email: "dana@sample.test", listName: nil, environment: environment)
        #expect(try fixture.status("dana@sample.test") == .unsubscribed)

        #expect(throws: AdminError.stickyStatus(email: "dana@sample.test", status: .unsubscribed)) {
            try admin.add(NewSubscriber(email: "DANA@sample.test"), environment: environment)
        }
        #expect(throws: AdminError.self) { try admin.resume(email: "dana@sample.test", environment: environment) }
        for update in [false, true] {
            var options = SubscriberImport.Options()
            options.update = update
            let report = try admin.importCSV(text: "email,name,status\ndana@sample.test,Dana,active\n", options: options, environment: environment)
            #expect(report.keptUnsubscribed == ["line 2: dana@sample.test is unsubscribed; left as is (use --resubscribe)"])
            #expect(try fixture.status("dana@sample.test") == .unsubscribed)
        }
        // Removed, it is remembered as a hash: an old CSV does not bring it back.
        #expect(try admin.remove(email: "dana@sample.test", erase: true, environment: environment) == .tombstone(deliveriesKept: 0))
        #expect(try fixture.status("dana@sample.test") == nil)
        let report = try admin.importCSV(text: "email\nDana@Sample.test\n", defaultList: nil, environment: environment)
        #expect(report.added == 0)
        #expect(report.keptUnsubscribed.count == 1)
        #expect(throws: AdminError.suppressed(email: "dana@sample.test")) {
            try admin.add(NewSubscriber(email: "dana@sample.test"), environment: environment)
        }
        // Only an explicit resubscribe mails it again.
        let again = try admin.add(NewSubscriber(email: "dana@sample.test"), resubscribe: true, environment: environment)
        #expect(again.status == .active)
        #expect(try !environment.database.isSuppressed(hash: "unused"))
    }

    @Test func aBouncedAddressNeedsResubscribeAndResubscribeRestoresItsLists() throws {
        let fixture = try AdminFixture()
        defer { fixture.folder.remove() }
        let admin = fixture.admin
        let added = try admin.add(NewSubscriber(email: "b@sample.test", lists: ["weekly"]), environment: fixture.environment)
        let id = try #require(added.id)
        _ = try fixture.environment.database.recordBounce(subscriberID: id, limit: 1)
        #expect(try fixture.status("b@sample.test") == .bounced)
        #expect(throws: AdminError.self) { try admin.add(NewSubscriber(email: "b@sample.test"), environment: fixture.environment) }
        let back = try admin.resubscribe(email: "b@sample.test", listName: "daily", environment: fixture.environment)
        #expect(back.status == .active)
        #expect(try fixture.environment.database.subscriptions(ofSubscriber: id).map(\.listName) == ["daily", "weekly"])
    }

    @Test func pauseResumeFollowUnfollowAndUpdate() throws {
        let fixture = try AdminFixture()
        defer { fixture.folder.remove() }
        let admin = fixture.admin
        let environment = fixture.environment
        try admin.add(NewSubscriber(email: "o@sample.test", name: "Omer"), environment: environment)
        #expect(try admin.pause(email: "o@sample.test", environment: environment).status == .paused)
        #expect(try admin.resume(email: "o@sample.test", environment: environment).status == .active)

        var (_, memberships) = try admin.follow(
            email: "o@sample.test", topic: try .init(parsing: "News > Israel"), follow: true, listName: "daily", environment: environment)
        #expect(memberships.first { $0.listName == "daily" }?.sections == [SectionPath(parsing: "News > Israel")])
        #expect(memberships.first { $0.listName == "weekly" }?.followsWholeList == true)
        (_, memberships) = try admin.follow(email: "o@sample.test", topic: try .init(parsing: "#Turkey"), follow: true, listName: nil, environment: environment)
        #expect(memberships.allSatisfy { $0.tags == ["Turkey"] })
        (_, memberships) = try admin.follow(email: "o@sample.test", topic: try .init(parsing: "tag:Turkey"), follow: false, listName: nil, environment: environment)
        #expect(memberships.allSatisfy { $0.tags.isEmpty })
        #expect(throws: AdminError.self) { try SubscriberAdmin.Topic(parsing: "a;b") }

        var update = SubscriberAdmin.Update()
        update.email = "omer@sample.test"
        update.name = ""
        update.leave = ["weekly"]
        update.mutedTags = ["Sports"]
        let (subscriber, after) = try admin.update(email: "o@sample.test", update, environment: environment)
        #expect(subscriber.email == "omer@sample.test")
        #expect(subscriber.name == nil)
        #expect(after.map(\.listName) == ["daily"])
        #expect(after.first?.mutedTags == ["Sports"])
        var leaveAll = SubscriberAdmin.Update()
        leaveAll.leave = ["daily"]
        #expect(throws: AdminError.self) { try admin.update(email: "omer@sample.test", leaveAll, environment: environment) }
    }

    @Test func doubleOptInMailsASignedTokenAndConfirmActivates() async throws {
        var weekly = SubscriberList.fixture(name: "weekly")
        weekly.doubleOptIn = true
        let fixture = try AdminFixture(lists: [.fixture(name: "daily"), weekly])
        defer { fixture.folder.remove() }
        let admin = fixture.admin
        let result = try await admin.subscribe(NewSubscriber(email: "p@sample.test", name: "Pat", lists: ["weekly"]), environment: fixture.environment)
        #expect(result.subscriber.status == .pending)
        #expect(result.confirmationList == "weekly")
        let mails = try fixture.outbox()
        #expect(mails.count == 1)
        let mail = try #require(mails.first)
        #expect(mail.contains("To: Pat <p@sample.test>"))
        #expect(mail.contains("Subject: Please confirm your subscription to Sample Daily"))
        let token = try #require(mail.firstMatch(of: /c1\.[0-9]+\.weekly\.[A-Za-z0-9_-]+/)).output
        // The digest run skips a pending subscriber.
        #expect(try fixture.environment.database.subscriptions(inList: "weekly").first?.subscriber.status == .pending)

        // An unsubscribe token for the same subscriber and list is not a confirmation.
        let id = try #require(result.subscriber.id)
        let unsubscribeToken = SubscriptionToken(subscriberID: id, listName: "weekly").signed(with: fixture.environment.signingKey)
        #expect(throws: TokenError.malformed) { try admin.confirm(token: unsubscribeToken, environment: fixture.environment) }
        #expect(throws: TokenError.badSignature) {
            try admin.confirm(token: String(token.dropLast(2)) + "AA", environment: fixture.environment)
        }
        let (confirmed, changed) = try admin.confirm(token: String(token), environment: fixture.environment)
        #expect(confirmed.status == .active && changed)
        #expect(try admin.confirm(token: String(token), environment: fixture.environment).changed == false)
        // Single opt-in lists add active subscribers and send nothing.
        let plain = try await admin.subscribe(NewSubscriber(email: "q@sample.test", lists: ["daily"]), environment: fixture.environment)
        #expect(plain.subscriber.status == .active && plain.confirmationList == nil)
        #expect(try fixture.outbox().count == 1)
    }

    @Test func aConfirmationThatCannotBeSentLeavesNothingBehind() async throws {
        var daily = SubscriberList.fixture(name: "daily")
        daily.doubleOptIn = true
        let folder = try TemporaryDirectory("gazette-admin")
        defer { folder.remove() }
        let blocked = folder.url.appendingPathComponent("blocked")
        try "a file where the outbox folder should be".write(to: blocked, atomically: true, encoding: .utf8)
        let config = GazetteConfig(
            file: "gazette.toml", databasePath: folder.path("gazette.sqlite"), delivery: .outbox(folder: blocked.path), sources: [], lists: [daily])
        let environment = AppEnvironment(
            database: try AppDatabase.open(path: config.databasePath), http: OfflineHTTPClient(),
            transport: MaildirTransport(directory: blocked), templates: try DigestTemplates.load())
        await #expect(throws: AdminError.self) {
            try await SubscriberAdmin(config: config).subscribe(NewSubscriber(email: "p@sample.test"), environment: environment)
        }
        #expect(try environment.database.subscriber(email: "p@sample.test") == nil)
    }

    @Test func listsFromTheConfigAndTheDatabaseNeverDisagreeSilently() throws {
        let fixture = try AdminFixture(lists: [.fixture(name: "daily")])
        defer { fixture.folder.remove() }
        let catalog = try ListCatalog.load(config: fixture.config, database: fixture.environment.database)
        let lists = ListAdmin(config: fixture.config, catalog: catalog)
        var weekly = SubscriberList.fixture(name: "weekly")
        weekly.schedule = "weekly monday 07:00"
        try lists.add(weekly, environment: fixture.environment)
        #expect(throws: AdminError.listInConfig(name: "daily", file: "gazette.toml")) {
            try lists.add(.fixture(name: "daily"), environment: fixture.environment)
        }
        #expect(throws: AdminError.self) { try lists.add(.fixture(name: "bad name"), environment: fixture.environment) }
        #expect(throws: StoreError.duplicateList(name: "weekly")) { try lists.add(weekly, environment: fixture.environment) }

        let merged = try ListCatalog.load(config: fixture.config, database: fixture.environment.database)
        #expect(merged.lists.map(\.name) == ["daily", "weekly"])
        #expect(merged.entry(named: "weekly")?.origin == .database)
        #expect(merged.warnings.isEmpty)

        // The config later declares "weekly" too, differently: the config wins, with a warning.
        var configWeekly = SubscriberList.fixture(name: "weekly")
        configWeekly.title = "Weekly from the config"
        let both = ListCatalog(config: [.fixture(name: "daily"), configWeekly], stored: [weekly], file: "gazette.toml")
        #expect(both.entry(named: "weekly")?.origin == .both)
        #expect(both.entry(named: "weekly")?.list.title == "Weekly from the config")
        #expect(both.entry(named: "weekly")?.differences == ["title", "schedule"])
        #expect(both.warnings.count == 1)
        #expect(both.warnings.first?.contains("gazette.toml wins") == true)

        // A stored list with members is not removed; an empty one is.
        let config = fixture.config.including(merged)
        try SubscriberAdmin(config: config).add(NewSubscriber(email: "w@sample.test", lists: ["weekly"]), environment: fixture.environment)
        let admin = ListAdmin(config: config, catalog: merged)
        #expect(throws: StoreError.listHasMembers(name: "weekly", count: 1)) { try admin.remove(name: "weekly", environment: fixture.environment) }
        #expect(throws: AdminError.listInConfig(name: "daily", file: "gazette.toml")) { try admin.remove(name: "daily", environment: fixture.environment) }
        let (summaries, _) = try admin.summaries(environment: fixture.environment)
        #expect(summaries.first { $0.list.name == "weekly" }?.members == [.active: 1])
    }
}
