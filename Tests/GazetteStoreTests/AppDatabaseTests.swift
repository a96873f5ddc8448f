import Foundation
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

@Suite struct AppDatabaseTests {
    let now = Date(timeIntervalSince1970: 1_795_676_400)

    private func database(sources: [String] = ["sample"]) throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        try database.syncSources(sources.map { Source(name: $0, feedURL: "https://\($0).test/feed") })
        return database
    }

    @Test func anArticleIsNewOnlyWhenNeitherItsGuidNorItsURLWasSeen() throws {
        let database = try database(sources: ["a", "b"])
        let first = Article.fixture("Turkey pushes for role", url: "https://s.test/1", firstSeenAt: now, source: "a")
        #expect(try database.insertNewArticles([first]).count == 1)
        var sameGuid = Article.fixture("Other", url: "https://s.test/2", firstSeenAt: now, source: "a")
        sameGuid.guid = first.guid
        let sameURL = Article.fixture("Same link via another feed", url: "https://s.test/1", firstSeenAt: now, source: "b")
        let fresh = Article.fixture("Fresh", url: "https://s.test/3", firstSeenAt: now, source: "b")
        let inserted = try database.insertNewArticles([sameGuid, sameURL, fresh])
        #expect(inserted.map(\.title) == ["Fresh"])
        #expect(inserted.first?.id != nil)
        #expect(try database.articleCount() == 2)
    }

    @Test func articlesRoundTripWithEveryField() throws {
        let database = try database()
        var article = Article.fixture("כותרת בעברית", section: "News > Middle East > Peace Process", tags: ["Turkey", "ISF"], firstSeenAt: now)
        article.authors = ["Ariel Kahana", "Staff"]
        article.language = "he"
        _ = try database.insertNewArticles([article])
        let stored = try #require(try database.articles(firstSeenIn: DigestWindow(start: now - 1, end: now)).first)
        #expect(stored.title == article.title)
        #expect(stored.section == article.section)
        #expect(stored.tags == ["Turkey", "ISF"])
        #expect(stored.authors == ["Ariel Kahana", "Staff"])
        #expect(stored.language == "he")
        #expect(stored.sourceName == "sample")
        // The window excludes its start and includes its end.
        #expect(try database.articles(firstSeenIn: DigestWindow(start: now, end: now + 60)).isEmpty)
    }

    @Test func subscriberAddressesAreUniqueWithoutRegardToCase() throws {
        let database = try database()
        try database.addSubscriber(Subscriber(email: "Dana@Sample.test", createdAt: now), subscriptions: [])
        #expect(throws: StoreError.duplicateSubscriber(email: "dana@sample.test")) {
            try database.addSubscriber(Subscriber(email: "dana@sample.test", createdAt: now), subscriptions: [])
        }
        #expect(try database.subscriber(email: "DANA@SAMPLE.TEST")?.email == "Dana@Sample.test")
    }

    @Test func subscriptionsKeepWhatASubscriberFollows() throws {
        let database = try database()
        let added = try database.addSubscriber(
            Subscriber(email: "omer@sample.test", createdAt: now),
            subscriptions: [Subscription(subscriberID: 0, listName: "daily", sections: [SectionPath(parsing: "News > Middle East")], tags: ["Turkey"])])
        let memberships = try database.subscriptions(inList: "daily")
        #expect(memberships.count == 1)
        #expect(memberships.first?.subscriber.id == added.id)
        #expect(memberships.first?.subscription.sections == [SectionPath(parsing: "News > Middle East")])
        #expect(memberships.first?.subscription.tags == ["Turkey"])
        #expect(try database.subscriptions(inList: "weekly").isEmpty)
        #expect(try database.subscribers(inList: "daily").map(\.email) == ["omer@sample.test"])
    }

    @Test func removingASubscriberForgetsTheAddressAndKeepsTheHistoryUnlessErased() throws {
        let database = try database()
        _ = try database.insertNewArticles([Article.fixture(firstSeenAt: now)])
        let added = try database.addSubscriber(Subscriber(email: "x@sample.test", createdAt: now), subscriptions: [Subscription(subscriberID: 0, listName: "daily")])
        let id = try #require(added.id)
        _ = try database.claimDelivery(delivery(for: id, edition: "2026-11-26", messageID: "m1@s.test"))
        #expect(try database.removeSubscriber(id: id, erase: false, suppressionHash: nil, at: now) == .tombstone(deliveriesKept: 1))
        #expect(try database.subscribers().isEmpty)
        #expect(try database.subscriber(email: "x@sample.test") == nil)
        #expect(try database.deliveries().count == 1)
        #expect(try database.articleCount() == 1)
        #expect(throws: StoreError.subscriberNotFound(email: "#\(id)")) {
            try database.removeSubscriber(id: id, erase: false, suppressionHash: nil, at: now)
        }
        // The address can be added again as a new subscriber.
        let again = try database.addSubscriber(Subscriber(email: "X@sample.test", createdAt: now), subscriptions: [])
        #expect(again.id != id)
        #expect(try database.removeSubscriber(id: try #require(again.id), erase: true, suppressionHash: nil, at: now) == .deleted)
    }

    @Test func anErasedUnsubscriberLeavesOnlyAHash() throws {
        let database = try database()
        let added = try database.addSubscriber(Subscriber(email: "gone@sample.test", status: .unsubscribed, createdAt: now), subscriptions: [])
        let id = try #require(added.id)
        _ = try database.claimDelivery(delivery(for: id, edition: "2026-11-26", messageID: "m2@s.test"))
        #expect(try database.removeSubscriber(id: id, erase: true, suppressionHash: "abc", at: now) == .tombstone(deliveriesKept: 0))
        #expect(try database.deliveries().isEmpty)
        #expect(try database.isSuppressed(hash: "abc"))
        #expect(try !database.isSuppressed(hash: "abd"))
    }

    @Test func theLedgerClaimsAnEditionOnceAndKeepsItsMessageID() throws {
        let database = try database()
        let subscriber = try database.addSubscriber(Subscriber(email: "r@sample.test", createdAt: now), subscriptions: [])
        let id = try #require(subscriber.id)
        let first = try database.claimDelivery(delivery(for: id, edition: "2026-11-26", messageID: "first@s.test"))
        #expect(first.status == .pending)
        try database.markDeliveryFailed(id: try #require(first.id), error: "421 try later")
        // A retry of a failed edition reuses the original Message-ID.
        let retry = try database.claimDelivery(delivery(for: id, edition: "2026-11-26", messageID: "second@s.test"))
        #expect(retry.messageID == "first@s.test")
        #expect(retry.status == .pending)
        #expect(try database.lastSentWindowEnd(subscriberID: id, listName: "daily") == nil)
        try database.markDeliverySent(id: try #require(retry.id), at: now)
        // Once sent, a claim returns the sent row: the caller must not send again.
        let again = try database.claimDelivery(delivery(for: id, edition: "2026-11-26", messageID: "third@s.test"))
        #expect(again.status == .sent)
        #expect(again.messageID == "first@s.test")
        #expect(try database.lastSentWindowEnd(subscriberID: id, listName: "daily") == now)
        #expect(try database.deliveries().count == 1)
    }

    /// The claim writes its row with prepared SQL, not the record: what is read back from the
    /// ledger must be what was claimed, field for field (a resend is built from the row).
    @Test func aClaimedRowReadsBackAsClaimed() throws {
        let database = try database()
        let subscriber = try database.addSubscriber(Subscriber(email: "r@sample.test", createdAt: now), subscriptions: [])
        let id = try #require(subscriber.id)
        var claim = delivery(for: id, edition: "2026-11-26", messageID: "<claimed@s.test>")
        claim.window = DigestWindow(start: now - 86_400.25, end: now + 0.5)
        claim.createdAt = now + 1.125
        claim.articleCount = 37
        let claimed = try database.claimDelivery(claim)
        let stored = try #require(try database.deliveries().first)
        #expect(try database.deliveries().count == 1)
        #expect(stored == claimed)
        #expect(stored.id != nil)
        #expect(stored.status == .pending && stored.handedOverAt == nil && stored.attempts == 0 && !stored.permanent)
        #expect(stored.window == claim.window && stored.createdAt == claim.createdAt && stored.articleCount == 37)
        #expect(stored.messageID == "<claimed@s.test>" && stored.edition == "2026-11-26" && stored.listName == claim.listName)
        // The second subscriber's claim gets a row of its own.
        let other = try database.addSubscriber(Subscriber(email: "s@sample.test", createdAt: now), subscriptions: [])
        let second = try database.claimDelivery(delivery(for: try #require(other.id), edition: "2026-11-26", messageID: "<2@s.test>"))
        #expect(second.id != claimed.id)
        #expect(try database.deliveries().count == 2)
    }

    /// ADR 0004: a row handed over whole by a run that died is not delivered until a reply
    /// says so; claimed again, it comes back pending with everything the first attempt's
    /// message was made of, and says it may already have arrived.
    @Test func aHandedOverRowIsClaimedAgainAsTheSameMessage() throws {
        let database = try database()
        let subscriber = try database.addSubscriber(Subscriber(email: "r@sample.test", createdAt: now), subscriptions: [])
        let id = try #require(subscriber.id)
        let first = try database.claimDelivery(delivery(for: id, edition: "2026-11-26", messageID: "first@s.test"))
        #expect(!first.mayAlreadyHaveArrived)
        try database.markDeliveryHandedOver(id: try #require(first.id), at: now + 1)
        // The run dies here. The next digest does not start after this one: it never arrived.
        #expect(try database.lastSentWindowEnd(subscriberID: id, listName: "daily") == nil)
        var later = delivery(for: id, edition: "2026-11-26", messageID: "second@s.test")
        later.window = DigestWindow(start: now - 86_400, end: now + 3_600)
        later.createdAt = now + 3_600
        let retry = try database.claimDelivery(later)
        #expect(retry.status == .pending)
        #expect(retry.mayAlreadyHaveArrived)
        #expect(retry.messageID == "first@s.test")
        #expect(retry.window == first.window, "the first attempt's window, so the same articles")
        #expect(retry.createdAt == first.createdAt, "the first attempt's date header")
        #expect(try database.deliveries(listName: "daily", edition: "2026-11-26", subscriberIDs: [id])[id]?.messageID == "first@s.test")
        #expect(try database.lastSentWindowEnds(subscriberIDs: [id], listName: "daily").isEmpty)
        try database.markDeliveriesSent([(id: try #require(retry.id), at: now + 3_601)])
        #expect(try database.lastSentWindowEnd(subscriberID: id, listName: "daily") == now)
        #expect(try database.lastSentWindowEnds(subscriberIDs: [id], listName: "daily") == [id: now])
        #expect(try database.claimDelivery(later).status == .sent)
    }

    @Test func aListIsReadInPagesWithEveryMemberOnceThoseWhoFollowTheSameThingsTogether() throws {
        let database = try database()
        let members: [(String, [String])] = [
            ("a@sample.test", ["Tech"]), ("b@sample.test", []), ("c@sample.test", ["Tech"]), ("d@sample.test", ["Courts"]),
            ("e@sample.test", []), ("f@sample.test", ["Tech"]), ("g@sample.test", []),
        ]
        for (address, tags) in members {
            _ = try database.addSubscriber(
                Subscriber(email: address, createdAt: now), subscriptions: [Subscription(subscriberID: 0, listName: "daily", tags: tags)])
        }
        _ = try database.addSubscriber(
            Subscriber(email: "other@sample.test", createdAt: now), subscriptions: [Subscription(subscriberID: 0, listName: "weekly")])
        var pages: [[String]] = []
        var cursor: SubscriptionCursor?
        while true {
            let (page, next) = try database.subscriptions(inList: "daily", after: cursor, limit: 3)
            guard let next else { break }
            #expect(page.allSatisfy { $0.subscription.listName == "daily" })
            pages.append(page.map(\.subscriber.email))
            cursor = next
        }
        #expect(pages.map(\.count) == [3, 3, 1])
        #expect(pages.joined().sorted() == members.map(\.0), "every member once, no one else")
        // Equal selections are neighbours: one run per distinct selection, in id order within it.
        let order = Array(pages.joined())
        let tagsOf = Dictionary(uniqueKeysWithValues: members)
        let runs = order.indices.dropFirst().filter { tagsOf[order[$0]]! != tagsOf[order[$0 - 1]]! }.count + 1
        #expect(runs == 3)
        #expect(order.filter { tagsOf[$0] == ["Tech"] } == ["a@sample.test", "c@sample.test", "f@sample.test"])
        #expect(try database.subscriptionCount(inList: "daily") == 7)
    }

    @Test func acceptancesCommittedInABatchMarkEachRowSentAndClearBounces() throws {
        let database = try database()
        var ids: [Int64] = []
        var rows: [Int64] = []
        for (number, address) in ["a@sample.test", "b@sample.test"].enumerated() {
            let id = try #require(try database.addSubscriber(Subscriber(email: address, createdAt: now), subscriptions: []).id)
            try database.recordBounce(subscriberID: id, limit: 5)
            ids.append(id)
            rows.append(try #require(try database.claimDelivery(delivery(for: id, edition: "2026-11-26", messageID: "m\(number)@s.test")).id))
        }
        try database.markDeliveriesSent(rows.map { (id: $0, at: now + 60) })
        let ledger = try database.deliveries(listName: "daily", edition: "2026-11-26", subscriberIDs: ids)
        #expect(ledger.values.map(\.status) == [.sent, .sent])
        #expect(ledger.values.allSatisfy { $0.sentAt == now + 60 })
        #expect(try ids.allSatisfy { try database.recordBounce(subscriberID: $0, limit: 2) == false }, "bounce counts start again from zero")
    }

    @Test func fetchHealthIsRecorded() throws {
        let database = try database()
        try database.recordFetchSuccess(sourceName: "sample", state: SourceState(etag: "\"abc\"", lastModified: "Thu"), status: 200, at: now)
        try database.recordFetchNotModified(sourceName: "sample", at: now + 60)
        try database.recordFetchFailure(sourceName: "sample", error: "HTTP 503", status: 503, at: now + 120)
        try database.recordFetchFailure(sourceName: "sample", error: "HTTP 503", status: 503, at: now + 180)
        let health = try #require(try database.sourceHealth().first)
        #expect(health.consecutiveFailures == 2)
        #expect(health.notModifiedCount == 1)
        #expect(health.lastSuccessAt == now + 60)
        #expect(health.lastError == "HTTP 503")
        // Validators survive failures, so the next success can still be conditional.
        #expect(try database.sourceState(named: "sample") == SourceState(etag: "\"abc\"", lastModified: "Thu"))
        #expect(throws: StoreError.sourceNotFound(name: "nope")) {
            try database.recordFetchNotModified(sourceName: "nope", at: now)
        }
    }

    @Test func aDatabaseFileSurvivesReopening() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("nested/gazette.sqlite")
        do {
            let database = try AppDatabase.open(path: path)
            try database.syncSources([Source(name: "sample", feedURL: "file:///x")])
            _ = try database.insertNewArticles([Article.fixture(firstSeenAt: now)])
        }
        let reopened = try AppDatabase.open(path: path)
        #expect(try reopened.articleCount() == 1)
    }

    private func delivery(for subscriberID: Int64, edition: String, messageID: String) -> Delivery {
        Delivery(
            subscriberID: subscriberID, listName: "daily", edition: edition, window: DigestWindow(start: now - 86_400, end: now),
            status: .pending, messageID: messageID, articleCount: 3, createdAt: now)
    }
}
