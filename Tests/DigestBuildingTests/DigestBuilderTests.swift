import DigestBuilding
import Foundation
import GazetteModel
import GazetteTestSupport
import Testing

@Suite struct DigestBuilderTests {
    let now = Date(timeIntervalSince1970: 1_795_676_400)
    let reader = Subscriber(id: 1, email: "r@sample.test", createdAt: Date(timeIntervalSince1970: 0))
    var everything: Subscription { Subscription(subscriberID: 1, listName: "daily") }
    var day: DigestWindow { DigestWindow(start: now - 86_400, end: now) }

    private func articles() -> [Article] {
        [
            .fixture("Turkey pushes for role in Gaza force", section: "News > Middle East > Peace Process", tags: ["Turkey", "ISF"], publishedAt: now - 3600, firstSeenAt: now - 60),
            .fixture("Ceasefire talks resume in Cairo", section: "News > Middle East", tags: ["Gaza Strip"], publishedAt: now - 600, firstSeenAt: now - 60),
            .fixture("Knesset passes the budget", section: "News > Israel > Politics", tags: ["Knesset"], publishedAt: now - 7200, firstSeenAt: now - 60),
            .fixture("Why the ISF matters now", section: "Opinions", tags: ["isf"], publishedAt: now - 100, firstSeenAt: now - 60),
            .fixture("An old story from last week", section: "News > Israel", firstSeenAt: now - 3 * 86_400),
        ]
    }

    private func build(
        _ articles: [Article], rules: DigestRules = DigestRules(), subscription: Subscription? = nil, window: DigestWindow? = nil,
        explain: Bool = false
    ) -> Digest {
        var list = SubscriberList.fixture()
        list.rules = rules
        return DigestBuilder().build(
            list: list, subscriber: reader, subscription: subscription ?? everything, articles: articles, window: window ?? day,
            now: now, explain: explain)
    }

    // MARK: - Window and stabilization

    @Test func theWindowStartsWhereTheLastDeliveredDigestEndedAndEndsBeforeTheStabilizationTime() {
        var rules = DigestRules()
        rules.firstDigestLookback = 86_400
        rules.stabilization = 1800
        #expect(DigestBuilder.window(lastSentEnd: nil, now: now, rules: rules) == DigestWindow(start: now - 86_400, end: now - 1800))
        // A delivery that failed yesterday left lastSentEnd two days back: nothing is skipped.
        let window = DigestBuilder.window(lastSentEnd: now - 2 * 86_400, now: now, rules: rules)
        #expect(window.start == now - 2 * 86_400)
        let digest = build(articles(), window: DigestWindow(start: now - 4 * 86_400, end: now))
        #expect(digest.articles.contains { $0.title == "An old story from last week" })
        #expect(!build(articles()).articles.contains { $0.title == "An old story from last week" })
    }

    @Test func articlesStillStabilizingWaitForTheNextDigestAndSayWhy() {
        let fresh = Article.fixture("Breaking: still being written", firstSeenAt: now - 300)
        let settled = Article.fixture("Settled story from this morning", firstSeenAt: now - 3600)
        let digest = build([fresh, settled], window: DigestWindow(start: now - 86_400, end: now - 1800), explain: true)
        #expect(digest.articles.map(\.title) == ["Settled story from this morning"])
        #expect(digest.decisions.contains { $0.title == fresh.title && $0.verdict == .stabilizing(until: now + 1500) })
    }

    @Test func aListCanRefuseOldArticles() {
        var rules = DigestRules()
        rules.maxArticleAge = 2 * 86_400
        let stale = Article.fixture("A feature from last month", publishedAt: now - 30 * 86_400, firstSeenAt: now - 60)
        let digest = build([stale] + articles(), rules: rules, explain: true)
        #expect(!digest.articles.contains { $0.title == stale.title })
        #expect(digest.decisions.contains { $0.title == stale.title && $0.verdict == .tooOld(published: now - 30 * 86_400) })
    }

    // MARK: - Preferences

    @Test func followedSectionsIncludeTheirSubsectionsAndFollowedTagsAnySection() {
        let subscription = Subscription(subscriberID: 1, listName: "daily", sections: [SectionPath(parsing: "News > Middle East")], tags: ["Knesset"])
        #expect(Set(build(articles(), subscription: subscription).articles.map(\.title)) == [
            "Turkey pushes for role in Gaza force", "Ceasefire talks resume in Cairo", "Knesset passes the budget",
        ])
    }

    @Test func mutesWinOverFollows() {
        let subscription = Subscription(
            subscriberID: 1, listName: "daily", sections: [SectionPath(parsing: "News")], tags: ["ISF"],
            mutedSections: [SectionPath(parsing: "News > Middle East > Peace Process")], mutedTags: ["knesset"])
        let digest = build(articles(), subscription: subscription, explain: true)
        #expect(Set(digest.articles.map(\.title)) == ["Ceasefire talks resume in Cairo", "Why the ISF matters now"])
        #expect(digest.decisions.contains { $0.title == "Knesset passes the budget" && $0.verdict == .muted("tag Knesset is muted") })
        #expect(digest.decisions.contains {
            $0.title == "Turkey pushes for role in Gaza force" && $0.verdict == .muted("section News > Middle East > Peace Process is muted")
        })
    }

    @Test func listPresetsApplyToSubscribersWhoChoseNothingAndListMutesToEveryone() {
        var rules = DigestRules()
        rules.presetSections = [SectionPath(parsing: "Opinions")]
        rules.mutedTags = ["Gaza Strip"]
        #expect(build(articles(), rules: rules).articles.map(\.title) == ["Why the ISF matters now"])
        let own = Subscription(subscriberID: 1, listName: "daily", sections: [SectionPath(parsing: "News > Middle East")])
        #expect(build(articles(), rules: rules, subscription: own).articles.map(\.title) == ["Turkey pushes for role in Gaza force"])
    }

    @Test func explainSaysWhyAnArticleWasLeftOut() {
        let subscription = Subscription(subscriberID: 1, listName: "daily", tags: ["Knesset"])
        let digest = build(articles(), subscription: subscription, explain: true)
        #expect(digest.decisions.contains { $0.title == "Knesset passes the budget" && $0.verdict == .included(section: SectionPath(parsing: "News > Israel"), topStory: false) })
        #expect(digest.decisions.contains { $0.title == "Why the ISF matters now" && $0.verdict == .notFollowed })
    }

    // MARK: - Grouping and order

    @Test func groupsBySectionAtTheListsDepthLargestFirst() {
        let digest = build(articles())
        #expect(digest.sections.map(\.title) == ["News > Middle East", "News > Israel", "Opinions"])
        #expect(digest.sections[0].articles.map(\.title) == ["Ceasefire talks resume in Cairo", "Turkey pushes for role in Gaza force"])
    }

    @Test func aConfiguredSectionOrderComesFirst() {
        var rules = DigestRules()
        rules.sectionOrder = [SectionPath(parsing: "Opinions"), SectionPath(parsing: "News > Israel")]
        #expect(build(articles(), rules: rules).sections.map(\.title) == ["Opinions", "News > Israel", "News > Middle East"])
    }

    @Test func importanceOrdersBeforeTime() {
        // The older story carries two followed tags; the newer one none.
        let subscription = Subscription(subscriberID: 1, listName: "daily", sections: [SectionPath(parsing: "News")], tags: ["Turkey", "ISF"])
        let digest = build(articles(), subscription: subscription)
        #expect(digest.sections[0].articles.first?.title == "Turkey pushes for role in Gaza force")
        #expect(digest.sections[0].entries.first?.importance == 2)
    }

    @Test func topStoriesAreLiftedAndAppearOnce() {
        var rules = DigestRules()
        rules.topStories = 2
        let twice = [
            Article.fixture("Cabinet approves the Gaza framework", url: "https://a.test/1", section: "News > Middle East", firstSeenAt: now - 90, source: "a"),
            Article.fixture("Cabinet approves the Gaza framework", url: "https://b.test/x", section: "Opinions", firstSeenAt: now - 80, source: "b"),
        ]
        let digest = build(twice + articles(), rules: rules)
        #expect(digest.topStories.map(\.article.title) == ["Cabinet approves the Gaza framework"])
        #expect(digest.topStories.first?.sources == ["a", "b"])
        #expect(digest.articles.filter { $0.title == "Cabinet approves the Gaza framework" }.count == 1)
    }

    // MARK: - Dedupe

    @Test func theSameStoryThroughTwoFeedsOrTwoURLsIsOneEntryWithCrossReferences() {
        let first = Article.fixture("Ceasefire talks resume in Cairo", url: "https://www.a.test/cairo/?utm_source=rss", section: "News > Middle East", tags: ["Egypt"], firstSeenAt: now - 90, source: "news")
        let sameURL = Article.fixture("Talks resume (updated)", url: "https://a.test/cairo", section: "News", firstSeenAt: now - 80, source: "mirror")
        let sameTitle = Article.fixture("CEASEFIRE talks resume, in Cairo! | Other Site", url: "https://c.test/9", section: "Opinions", tags: ["Gaza Strip"], firstSeenAt: now - 70, source: "opinions")
        let digest = build([first, sameURL, sameTitle], explain: true)
        #expect(digest.articleCount == 1)
        let entry = digest.entries[0]
        #expect(entry.article.url == first.url)
        #expect(entry.sources == ["news", "mirror", "opinions"])
        #expect(entry.alsoIn == [SectionPath(parsing: "Opinions")])
        #expect(entry.tags == ["Egypt", "Gaza Strip"])
        #expect(digest.decisions.filter { $0.verdict == .merged(into: first.url) }.count == 2)
    }

    @Test func differentStoriesWithSimilarWordsStayApart() {
        let a = Article.fixture("Turkey pushes for role in Gaza force", url: "https://a.test/1", firstSeenAt: now - 60)
        let b = Article.fixture("Turkey pushes back on Gaza force role", url: "https://a.test/2", firstSeenAt: now - 60)
        #expect(build([a, b]).articleCount == 2)
    }

    // MARK: - Limits and the tag index

    @Test func capsLeaveTheMostImportantAndCountTheRest() {
        var rules = DigestRules()
        rules.maxPerSection = 1
        let digest = build(articles(), rules: rules, explain: true)
        let middleEast = digest.sections.first { $0.title == "News > Middle East" }
        #expect(middleEast?.entries.count == 1)
        #expect(middleEast?.moreCount == 1)
        #expect(digest.decisions.contains { if case .capped = $0.verdict { true } else { false } })

        rules.maxPerSection = nil
        rules.maxArticles = 2
        let capped = build(articles(), rules: rules)
        #expect(capped.articleCount == 2)
        #expect(capped.sections.reduce(0) { $0 + $1.moreCount } == 2)
    }

    @Test func theTagIndexCountsTagsAndListsTheirArticles() {
        let digest = build(articles())
        #expect(digest.tagIndex.first?.tag == "ISF")
        #expect(digest.tagIndex.first?.count == 2)
        #expect(digest.tagIndex.first?.articleURLs.count == 2)
        #expect(digest.tagIndex.map(\.tag).sorted() == ["Gaza Strip", "ISF", "Knesset", "Turkey"])
    }

    /// Costs for the trimmer: each entry is its title, summary and image, byte for byte.
    private static var byteCosts: DigestTrimmer.Costs {
        DigestTrimmer.Costs(
            entry: { $0.article.title.utf8.count + $0.article.summary.utf8.count + ($0.article.imageURL?.utf8.count ?? 0) },
            moreLine: 10)
    }

    private static func byteSize(_ digest: Digest) -> Int { digest.entries.reduce(0) { $0 + byteCosts.entry($1) } }

    @Test func trimmingShortensSummariesBeforeDroppingArticles() throws {
        var long = articles()
        for index in long.indices { long[index].summary = String(repeating: "word ", count: 80) }
        let digest = build(long)
        let size = Self.byteSize(digest)
        // Short summaries are enough: every article stays.
        let shorter = try #require(DigestTrimmer.fit(digest, level: .full, size: size, budget: size - 100, costs: Self.byteCosts))
        #expect(shorter.level == .shortSummaries)
        #expect(shorter.digest.articleCount == digest.articleCount)
        #expect(shorter.digest.articles.allSatisfy { $0.summary.count <= 141 })
        // No summaries are enough.
        let none = try #require(
            DigestTrimmer.fit(digest, level: .full, size: size, budget: size - 1_500, costs: Self.byteCosts))
        #expect(none.level == .noSummaries)
        #expect(none.digest.articles.allSatisfy { $0.summary.isEmpty })
        #expect(none.digest.articleCount == digest.articleCount)
    }

    @Test func trimmingDropsTheLeastImportantArticlesInOnePass() throws {
        let digest = build(articles())
        let level = try #require(DigestTrimmer.fit(digest, level: .full, size: 10_000, budget: 1, costs: Self.byteCosts))
        #expect(level.level == .noImages)
        let trimmed = DigestTrimmer.trimmed(digest, to: .noImages)
        let size = Self.byteSize(trimmed)
        let lastEntry = try #require(trimmed.sections.flatMap(\.entries).min { $0.importance < $1.importance })
        // Over by one byte: one article goes, the least important, counted in its section.
        let fewer = try #require(DigestTrimmer.fit(trimmed, level: .noImages, size: size, budget: size - 1, costs: Self.byteCosts))
        #expect(fewer.digest.articleCount == digest.articleCount - 1)
        #expect(fewer.digest.sections.reduce(0) { $0 + $1.moreCount } == 1)
        #expect(fewer.digest.entries.allSatisfy { $0.importance >= lastEntry.importance })
        #expect(fewer.digest.decisions.contains { $0.verdict == .capped("to keep the email under the size budget") })
        // Far over: every section article goes in the same pass, and the sections only count them.
        let all = try #require(DigestTrimmer.fit(trimmed, level: .noImages, size: size, budget: 1, costs: Self.byteCosts))
        #expect(all.digest.sections.allSatisfy { $0.entries.isEmpty && $0.moreCount > 0 })
        #expect(all.digest.tagIndex.isEmpty == all.digest.topStories.isEmpty)
        // Nothing left to trim, or nothing over: no smaller digest.
        #expect(DigestTrimmer.fit(all.digest, level: .noImages, size: 100, budget: 1, costs: Self.byteCosts) == nil)
        #expect(DigestTrimmer.fit(digest, level: .full, size: 100, budget: 100, costs: Self.byteCosts) == nil)
    }

    @Test func theSameInputsGiveTheSameDigest() {
        let shuffled = articles().shuffled()
        #expect(build(articles()) == build(shuffled))
    }

    @Test func articlesWithoutASectionComeLastAsOtherNews() {
        let digest = build([.fixture("A story with no section at all", section: "", firstSeenAt: now - 1), .fixture("A story filed under culture", section: "Culture", firstSeenAt: now - 1)])
        #expect(digest.sections.map(\.title) == ["Culture", "Other news"])
    }
}
