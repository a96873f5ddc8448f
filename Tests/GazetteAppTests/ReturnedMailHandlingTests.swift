import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

/// Returned mail against a real (in-memory) database: matching, rules, idempotence.
@Suite struct ReturnedMailHandlingTests {
    static let day: TimeInterval = 86_400
    static let start = Date(timeIntervalSince1970: 1_796_000_000)

    struct Setup {
        let environment: AppEnvironment
        let handling: ReturnedMailHandling
        let subscriberID: Int64
        var database: AppDatabase { environment.database }

        /// A digest of `edition`, sent `day` days after the start, and its Message-ID.
        func sent(day: Int, list: String = "daily") throws -> (id: Int64, messageID: String) {
            let sentAt = ReturnedMailHandlingTests.start.addingTimeInterval(Double(day) * ReturnedMailHandlingTests.day)
            let messageID = "gazette.\(list).day\(day)@sample.test"
            let claimed = try database.claimDelivery(
                Delivery(
                    subscriberID: subscriberID, listName: list, edition: "day\(day)",
                    window: DigestWindow(start: sentAt, end: sentAt),
                    status: .pending, messageID: messageID, articleCount: 3, createdAt: sentAt))
            let id = try #require(claimed.id)
            try database.markDeliverySent(id: id, at: sentAt)
            return (id, messageID)
        }

        func handle(_ text: String, name: String = "message") throws -> ReturnedMailHandling.Summary {
            try handling.handle([.message(Data(text.utf8), name: name)], environment: environment)
        }

        /// A relay's report that `digest` (a Message-ID) came back soft on `day`.
        func softBounce(
            _ digest: String, id: String, day: Int, status: String = "4.4.1", action: String = "failed"
        ) throws -> String? {
            try handle(
                ReturnedMailSamples.dsn(
                    to: "x@y.test", recipient: "dana@sample.test", action: action, status: status, original: digest,
                    messageID: id,
                    date: ReturnedMailHandlingTests.date(day))
            ).decisions.first?.action
        }

        var status: SubscriberStatus? { (try? database.subscriber(id: subscriberID))??.status }
    }

    private func setUp(rules: BounceRules = BounceRules(), lists: [String] = ["daily"]) throws -> Setup {
        let environment = AppEnvironment(
            database: try AppDatabase.inMemory(), http: OfflineHTTPClient(),
            transport: MaildirTransport(directory: URL(fileURLWithPath: "/nonexistent")),
            templates: try DigestTemplates.load(),
            now: { ReturnedMailHandlingTests.start.addingTimeInterval(30 * ReturnedMailHandlingTests.day) },
            signingKey: SigningKey(secret: Data("test key".utf8)))
        let subscriber = try environment.database.addSubscriber(
            Subscriber(email: "dana@sample.test", createdAt: Self.start),
            subscriptions: lists.map { Subscription(subscriberID: 0, listName: $0) })
        return Setup(
            environment: environment, handling: ReturnedMailHandling(settings: ReturnedMailSettings(rules: rules)),
            subscriberID: try #require(subscriber.id))
    }

    static func date(_ day: Int, hours: Double = 1) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: Self.start.addingTimeInterval(Double(day) * Self.day + hours * 3600))
    }

    @Test func oneHardBounceFoundByTheOriginalsMessageIDBouncesTheAddress() throws {
        let setup = try setUp()
        let digest = try setup.sent(day: 0)
        let summary = try setup.handle(
            ReturnedMailSamples.dsn(
                to: "digest@sample.israelhayom.test", recipient: "someone-else@relay.test", original: digest.messageID,
                messageID: "dsn-1@relay.test", date: Self.date(0)))
        #expect(summary.hard == 1)
        #expect(summary.decisions.first?.email == "dana@sample.test")
        #expect(summary.decisions.first?.action == "bounced")
        #expect(setup.status == .bounced)
        let recorded = try setup.database.returnedMail(subscriberID: setup.subscriberID)
        #expect(recorded.count == 1)
        #expect(recorded.first?.kind == "hard")
        #expect(recorded.first?.status == "5.1.1")
        #expect(recorded.first?.deliveryID == digest.id)
        #expect(recorded.first?.originalMessageID == digest.messageID)
    }

    @Test func theRecipientFieldIsTheLastResort() throws {
        let setup = try setUp()
        let summary = try setup.handle(
            ReturnedMailSamples.dsn(
                to: "digest@sample.israelhayom.test", recipient: "DANA@sample.test", messageID: "dsn-2@relay.test"))
        #expect(summary.decisions.first?.email == "dana@sample.test")
        #expect(setup.status == .bounced)
    }

    @Test func anExplicitBounceLimitAppliesToReturnedHardBouncesToo() throws {
        let setup = try setUp(rules: BounceRules(hardLimit: 2))
        _ = try setup.handle(ReturnedMailSamples.dsn(to: "x@y.test", recipient: "dana@sample.test", messageID: "a@relay.test"))
        #expect(setup.status == .active)
        _ = try setup.handle(ReturnedMailSamples.dsn(to: "x@y.test", recipient: "dana@sample.test", messageID: "b@relay.test"))
        #expect(setup.status == .bounced)
    }

    @Test func softBouncesBounceOnlyAfterNDigestsInARowOverDDays() throws {
        let setup = try setUp(rules: BounceRules(softLimit: 3, softDays: 2))
        func soft(_ day: Int, _ digest: String, id: String) throws -> String? {
            try setup.softBounce(digest, id: id, day: day, status: "4.2.2", action: "delayed")
        }
        let first = try setup.sent(day: 0)
        #expect(try soft(0, first.messageID, id: "s1@relay.test") == "counted")
        // Three warnings about the same digest are one digest in the run, not three.
        #expect(try soft(1, first.messageID, id: "s1b@relay.test") == "counted")
        #expect(try soft(2, first.messageID, id: "s1c@relay.test") == "counted")
        #expect(setup.status == .active)
        let second = try setup.sent(day: 1)
        #expect(try soft(1, second.messageID, id: "s2@relay.test") == "counted")
        let third = try setup.sent(day: 2)
        #expect(try soft(2, third.messageID, id: "s3@relay.test") == "bounced", "three digests over two days")
        #expect(setup.status == .bounced)
    }

    @Test func softBouncesTooCloseTogetherWaitForTheWindow() throws {
        let setup = try setUp(rules: BounceRules(softLimit: 2, softDays: 3))
        for day in 0..<3 {
            #expect(try setup.softBounce(try setup.sent(day: day).messageID, id: "w\(day)@relay.test", day: day) == "counted")
        }
        #expect(setup.status == .active, "three in a row, but over two days only")
        #expect(try setup.softBounce(try setup.sent(day: 3).messageID, id: "w3@relay.test", day: 3) == "bounced")
        #expect(setup.status == .bounced)
    }

    @Test func aDigestThatGotThroughEndsTheSoftRun() throws {
        let setup = try setUp(rules: BounceRules(softLimit: 2, softDays: 0))
        #expect(try setup.softBounce(try setup.sent(day: 0).messageID, id: "r0@relay.test", day: 0, status: "4.2.2") == "counted")
        _ = try setup.sent(day: 1)  // delivered: nothing came back
        #expect(try setup.softBounce(try setup.sent(day: 2).messageID, id: "r2@relay.test", day: 2, status: "4.2.2") == "counted")
        #expect(setup.status == .active)
    }

    @Test func theSameMessageTwiceIsCountedOnce() throws {
        let setup = try setUp(rules: BounceRules(hardLimit: 2))
        let dsn = ReturnedMailSamples.dsn(to: "x@y.test", recipient: "dana@sample.test", messageID: "once@relay.test")
        #expect(try setup.handle(dsn).hard == 1)
        let again = try setup.handle(dsn)
        #expect(again.hard == 0)
        #expect(again.alreadyHandled == 1)
        #expect(setup.status == .active)
        #expect(try setup.database.returnedMail(subscriberID: setup.subscriberID).count == 1)
    }

    @Test func aComplaintUnsubscribesFromEveryListAndStaysSuppressed() throws {
        let setup = try setUp(lists: ["daily", "weekly"])
        let digest = try setup.sent(day: 0)
        let summary = try setup.handle(
            ReturnedMailSamples.complaint(
                about: digest.messageID, recipient: "redacted@isp.test", messageID: "arf-1@isp.test"))
        #expect(summary.complaints == 1)
        #expect(summary.decisions.first?.action == "unsubscribed")
        #expect(setup.status == .unsubscribed)
        let config = GazetteConfig(file: "t", databasePath: ":memory:", delivery: .outbox(folder: "/tmp"), sources: [], lists: [])
        #expect(throws: AdminError.self) {
            try SubscriberAdmin(config: config).add(NewSubscriber(email: "dana@sample.test"), environment: setup.environment)
        }
    }

    @Test func anUnsubscribeMailWithOurTokenLeavesThatListOnly() throws {
        let setup = try setUp(lists: ["daily", "weekly"])
        let token = SubscriptionToken(subscriberID: setup.subscriberID, listName: "weekly").signed(
            with: setup.environment.signingKey)
        let mail = """
            From: Dana <dana@sample.test>
            To: digest@sample.israelhayom.test
            Subject: unsubscribe \(token)
            Message-ID: <unsub-1@sample.test>

            sent from the unsubscribe link
            """
        let summary = try setup.handle(mail)
        #expect(summary.unsubscribes == 1)
        #expect(summary.decisions.first?.action == "left-list")
        #expect(try setup.database.subscriptions(ofSubscriber: setup.subscriberID).map(\.listName) == ["daily"])
        // A forged token does nothing, whoever the mail claims to be from.
        let forged = mail.replacingOccurrences(of: "weekly", with: "daily").replacingOccurrences(of: "unsub-1", with: "unsub-2")
        #expect(try setup.handle(forged).decisions.first?.action == "no-subscriber")
        #expect(setup.status == .active)
    }

    @Test func autoRepliesAndUnknownMailChangeNothing() throws {
        let setup = try setUp()
        let reply = """
            From: dana@sample.test
            To: digest@sample.israelhayom.test
            Subject: Out of Office: Sample Daily
            Auto-Submitted: auto-replied
            Message-ID: <ooo@sample.test>

            Away.
            """
        let summary = try setup.handle(reply)
        #expect(summary.autoReplies == 1)
        #expect(summary.decisions.first?.action == "noted")
        #expect(setup.status == .active)
    }

    @Test func aMalformedMessageIsNamedAndChangesNothing() throws {
        let setup = try setUp()
        let summary = try setup.handling.handle(
            [.message(Data([0, 1, 2, 255]), name: "junk.eml")], environment: setup.environment)
        #expect(summary.unreadable.count == 1)
        #expect(summary.unreadable.first?.hasPrefix("junk.eml: not a mail message") == true)
        #expect(try setup.database.returnedMail(subscriberID: setup.subscriberID).isEmpty)
    }

    @Test func maildirMessagesMoveToCurFlaggedSeenAndAreNotReadAgain() throws {
        let setup = try setUp()
        let folder = try TemporaryDirectory("gazette-maildir")
        defer { folder.remove() }
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try ReturnedMailSamples.dsn(to: "x@y.test", recipient: "dana@sample.test", messageID: "m1@relay.test")
            .write(to: folder.url.appendingPathComponent("new/1796000000.M1P1.host"), atomically: true, encoding: .utf8)
        try Data([0, 0, 0]).write(to: folder.url.appendingPathComponent("new/1796000001.M2P1.host"))
        try "From: a@b.test\nSubject: hello\nMessage-ID: <c1@b.test>\n\nhi\n"
            .write(to: folder.url.appendingPathComponent("cur/1796000002.M3P1.host:2,"), atomically: true, encoding: .utf8)

        let summary = try setup.handling.handle([.maildir(folder.url.path)], environment: setup.environment)
        #expect(summary.hard == 1 && summary.unknown == 1)
        #expect(
            summary.unreadable == [
                "\(folder.path("new/1796000001.M2P1.host")): not a mail message (its header has NUL bytes); left as it is"
            ])
        let cur = try FileManager.default.contentsOfDirectory(atPath: folder.path("cur")).sorted()
        #expect(cur == ["1796000000.M1P1.host:2,S", "1796000002.M3P1.host:2,S"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("new")) == ["1796000001.M2P1.host"])

        let again = try setup.handling.handle([.maildir(folder.url.path)], environment: setup.environment)
        #expect(again.alreadyHandled == 0 && again.hard == 0 && again.unknown == 0, "nothing is read twice")
        #expect(again.unreadable.count == 1, "the unreadable one stays where it was, and is named again")
    }

    @Test func anMboxReadTwiceCountsEachMessageOnce() throws {
        let setup = try setUp(rules: BounceRules(hardLimit: 5))
        let folder = try TemporaryDirectory("gazette-mbox")
        defer { folder.remove() }
        let mbox = ["m1", "m2"].map {
            "From MAILER-DAEMON Tue Dec  1 06:02:11 2026\n"
                + ReturnedMailSamples.dsn(to: "x@y.test", recipient: "dana@sample.test", messageID: "\($0)@relay.test")
        }.joined(separator: "\n")
        try mbox.write(to: folder.url.appendingPathComponent("bounces.mbox"), atomically: true, encoding: .utf8)
        let first = try setup.handling.handle([.mbox(folder.path("bounces.mbox"))], environment: setup.environment)
        #expect(first.hard == 2)
        let second = try setup.handling.handle([.mbox(folder.path("bounces.mbox"))], environment: setup.environment)
        #expect(second.hard == 0)
        #expect(second.alreadyHandled == 2)
    }

    @Test func aVERPAddressNamesTheDeliveryWhateverTheBodySays() throws {
        let setup = try setUp()
        let digest = try setup.sent(day: 0)
        let token = ReturnPathToken(deliveryID: digest.id, subscriberID: setup.subscriberID)
        let verp = token.address(returnPath: "bounces@sample.test", key: setup.environment.signingKey)
        #expect(verp.hasPrefix("bounces+b1.\(digest.id).\(setup.subscriberID)."))
        #expect(ReturnPathToken.find(in: verp, key: setup.environment.signingKey) == token)
        #expect(ReturnPathToken.find(in: verp, key: SigningKey(secret: Data("another key".utf8))) == nil)
        let summary = try setup.handle(
            ReturnedMailSamples.dsn(to: verp, recipient: "forwarded@elsewhere.test", messageID: "v@relay.test"))
        #expect(summary.decisions.first?.email == "dana@sample.test")
        #expect(try setup.database.returnedMail(subscriberID: setup.subscriberID).first?.deliveryID == digest.id)
    }
}
