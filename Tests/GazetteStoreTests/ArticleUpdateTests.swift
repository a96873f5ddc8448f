import Foundation
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

/// Articles that change after first sight: a feed's edits, and one story in two feeds.
/// Each test uses a real SQLite file.
@Suite struct ArticleUpdateTests {
    let now = Date(timeIntervalSince1970: 1_795_676_400)

    private func database(in folder: TemporaryDirectory) throws -> AppDatabase {
        let database = try AppDatabase.open(path: folder.path("gazette.sqlite"))
        try database.syncSources(["wire", "site"].map { Source(name: $0, feedURL: "https://\($0).test/feed") })
        return database
    }

    /// What a truncated feed first says: a title and a link, nothing more.
    private func truncated(source: String = "site") -> Article {
        Article(
            sourceName: source, guid: "https://site.test/2026/11/budget/", url: "https://site.test/2026/11/budget/",
            title: "Budget vote",
            firstSeenAt: now)
    }

    @Test func anEditedItemIsUpdatedInPlace() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let database = try database(in: folder)
        let first = try #require(try database.storeArticles([truncated()]).new.first)
        let firstID = try #require(first.id)
        var edited = truncated()
        edited.title = "Budget vote delayed to Monday"
        edited.summary = "The Knesset postponed the vote."
        edited.tags = ["Knesset", "Budget"]
        edited.section = SectionPath(components: ["News", "Politics"])
        edited.publishedAt = now - 600
        edited.firstSeenAt = now + 3_600  // a later fetch: the first sighting stays
        let stored = try database.storeArticles([edited])
        #expect(stored.new.isEmpty)
        #expect(stored.updated == 1)
        let article = try #require(try database.article(id: firstID))
        #expect(article.title == "Budget vote delayed to Monday")
        #expect(article.summary == "The Knesset postponed the vote.")
        #expect(article.tags == ["Knesset", "Budget"])
        #expect(article.section.components == ["News", "Politics"])
        #expect(article.publishedAt == now - 600)
        #expect(article.firstSeenAt == now)
        #expect(try database.articleCount() == 1)
    }

    @Test func theSameItemReadAgainChangesNothing() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let database = try database(in: folder)
        _ = try database.storeArticles([truncated()])
        #expect(try database.storeArticles([truncated()]) == AppDatabase.StoredArticles())
    }

    @Test func anArticleAlreadySentInADigestNoLongerChanges() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let database = try database(in: folder)
        let first = try #require(try database.storeArticles([truncated()]).new.first)
        let firstID = try #require(first.id)
        let subscriber = try database.addSubscriber(
            Subscriber(email: "reader@sample.test", createdAt: now),
            subscriptions: [Subscription(subscriberID: 0, listName: "daily")])
        let subscriberID = try #require(subscriber.id)
        let delivery = try database.claimDelivery(
            Delivery(
                subscriberID: subscriberID, listName: "daily", edition: "2026-11-26",
                window: DigestWindow(start: now - 86_400, end: now), status: .pending, messageID: "m@sample.test",
                articleCount: 1,
                createdAt: now))
        let deliveryID = try #require(delivery.id)
        try database.markDeliverySent(id: deliveryID, at: now + 60)
        var edited = truncated()
        edited.title = "Budget vote delayed"
        #expect(try database.storeArticles([edited]).updated == 0)
        #expect(try database.article(id: firstID)?.title == "Budget vote")
    }

    @Test func oneStoryInTwoFeedsMergesIntoTheRichest() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let database = try database(in: folder)
        var bare = truncated(source: "wire")
        bare.tags = ["Budget"]
        bare.section = SectionPath(components: ["News"])
        bare.summary = "Short."
        let first = try #require(try database.storeArticles([bare]).new.first)
        let firstID = try #require(first.id)
        var rich = truncated(source: "site")
        rich.guid = "site-guid-1"  // another feed, its own guid, the same link
        rich.title = "The site's own headline"
        rich.tags = ["Knesset", "budget"]
        rich.section = SectionPath(components: ["News", "Politics", "Knesset"])
        rich.summary = "The vote on the 2027 budget was postponed to Monday."
        rich.authors = ["Amit Segal"]
        let stored = try database.storeArticles([rich])
        #expect(stored.new.isEmpty && stored.merged == 1)
        let article = try #require(try database.article(id: firstID))
        #expect(article.tags == ["Budget", "Knesset"])  // the union, case ignored
        #expect(article.section.components == ["News", "Politics", "Knesset"])  // the deepest
        #expect(article.summary == "The vote on the 2027 budget was postponed to Monday.")  // the longest
        #expect(article.title == "Budget vote")  // the first copy's
        #expect(article.authors == ["Amit Segal"])  // the first had none
        #expect(try database.feeds(ofArticle: firstID) == ["wire", "site"])
        #expect(try database.articleCount() == 1)
    }

    @Test func aMergedArticleKeepsOtherFeedsTagsWhenOneFeedEdits() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let database = try database(in: folder)
        var wire = truncated(source: "wire")
        wire.tags = ["Budget"]
        let first = try #require(try database.storeArticles([wire]).new.first)
        let firstID = try #require(first.id)
        var site = truncated(source: "site")
        site.tags = ["Knesset"]
        _ = try database.storeArticles([site])
        wire.tags = ["Budget", "Finance"]
        wire.title = "Budget vote delayed"
        #expect(try database.storeArticles([wire]).updated == 1)
        let article = try #require(try database.article(id: firstID))
        #expect(article.title == "Budget vote delayed")
        #expect(article.tags == ["Budget", "Finance", "Knesset"])
    }
}
