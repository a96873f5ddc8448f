import DigestBuilding
import Foundation
import GazetteModel
import GazetteTestSupport
import Testing

@Suite struct DigestBuilderTests {
    let now = Date(timeIntervalSince1970: 1_795_676_400)
    let reader = Subscriber(id: 1, email: "r@sample.test", createdAt: Date(timeIntervalSince1970: 0))
    var everything: Subscription { Subscription(subscriberID: 1, listName: "daily") }

    private func articles() -> [Article] {
        [
            .fixture("Turkey pushes for role in Gaza force", section: "News > Middle East > Peace Process", tags: ["Turkey", "ISF"], publishedAt: now - 3600, firstSeenAt: now - 60),
            .fixture("Ceasefire talks resume", section: "News > Middle East", tags: ["Gaza Strip"], publishedAt: now - 600, firstSeenAt: now - 60),
            .fixture("Knesset passes budget", section: "News > Israel > Politics", tags: ["Knesset"], publishedAt: now - 7200, firstSeenAt: now - 60),
            .fixture("Why the ISF matters", section: "Opinions", tags: ["isf"], publishedAt: now - 100, firstSeenAt: now - 60),
            .fixture("Old story", section: "News > Israel", firstSeenAt: now - 3 * 86_400),
        ]
    }

    @Test func groupsBySectionAtTheListsDepthLargestFirst() {
        let digest = DigestBuilder().build(list: .fixture(sectionDepth: 2), subscriber: reader, subscription: everything,
            articles: articles(), window: DigestBuilder().window(lastSentEnd: nil, now: now))
        #expect(digest.sections.map(\.title) == ["News > Middle East", "News > Israel", "Opinions"])
        // Newest first within a section.
        #expect(digest.sections[0].articles.map(\.title) == ["Ceasefire talks resume", "Turkey pushes for role in Gaza force"])
        #expect(digest.articleCount == 4)  // the old story is outside the first digest's look-back
    }

    @Test func theTagIndexCountsTagsWithoutRegardToCase() {
        let digest = DigestBuilder().build(list: .fixture(), subscriber: reader, subscription: everything, articles: articles(),
            window: DigestWindow(start: now - 86_400, end: now))
        #expect(digest.tagIndex.first == TagCount(tag: "ISF", count: 2))
        #expect(digest.tagIndex.map(\.tag).sorted() == ["Gaza Strip", "ISF", "Knesset", "Turkey"])
    }

    @Test func aSubscriberGetsFollowedSectionsWithSubsectionsAndFollowedTags() {
        let subscription = Subscription(subscriberID: 1, listName: "daily", sections: [SectionPath(parsing: "News > Middle East")], tags: ["Knesset"])
        let digest = DigestBuilder().build(list: .fixture(), subscriber: reader, subscription: subscription, articles: articles(),
            window: DigestWindow(start: now - 86_400, end: now))
        #expect(Set(digest.articles.map(\.title)) == ["Turkey pushes for role in Gaza force", "Ceasefire talks resume", "Knesset passes budget"])
    }

    @Test func theWindowStartsWhereTheLastDeliveredDigestEnded() {
        let builder = DigestBuilder(firstDigestLookback: 86_400)
        #expect(builder.window(lastSentEnd: nil, now: now) == DigestWindow(start: now - 86_400, end: now))
        // A failed delivery yesterday leaves lastSentEnd at the day before: nothing is skipped.
        #expect(builder.window(lastSentEnd: now - 2 * 86_400, now: now).start == now - 2 * 86_400)
        let digest = builder.build(list: .fixture(), subscriber: reader, subscription: everything, articles: articles(),
            window: builder.window(lastSentEnd: now - 4 * 86_400, now: now))
        #expect(digest.articles.contains { $0.title == "Old story" })
    }

    @Test func theSameStoryUnderTwoURLsAppearsOnce() {
        let a = Article.fixture("Ceasefire talks resume", url: "https://a.test/1", firstSeenAt: now - 10)
        let b = Article.fixture("Ceasefire  talks RESUME", url: "https://b.test/x", firstSeenAt: now - 5)
        let digest = DigestBuilder().build(list: .fixture(), subscriber: reader, subscription: everything, articles: [a, b],
            window: DigestWindow(start: now - 60, end: now))
        #expect(digest.articles.map(\.url) == ["https://a.test/1"])
    }

    @Test func articlesWithoutASectionComeLastAsOtherNews() {
        let digest = DigestBuilder().build(list: .fixture(), subscriber: reader, subscription: everything,
            articles: [.fixture("No section", section: "", firstSeenAt: now - 1), .fixture("Sectioned", section: "Culture", firstSeenAt: now - 1)],
            window: DigestWindow(start: now - 60, end: now))
        #expect(digest.sections.map(\.title) == ["Culture", "Other news"])
    }
}
