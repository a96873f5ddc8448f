import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Mailing
import Testing

/// The preferences page against the real server: it offers the sections and tags of recent
/// articles, and its POST saves pausing, leaving lists, following and muting.
@Suite struct PreferencesTests {
    static let weekly = [
        "[[lists]]", "name = \"weekly\"", "title = \"Weekly\"", "sender_name = \"Weekly\"",
        "sender_address = \"weekly@sample.test\"",
    ]

    private func recentArticles(_ server: WebTestServer) throws {
        let seen = WebTestServer.now.addingTimeInterval(-3600)
        try server.environment.database.syncSources([Source(name: "sample", feedURL: "file:///unused")])
        _ = try server.environment.database.insertNewArticles([
            .fixture("Ceasefire talks", section: "News > Middle East", tags: ["Gaza"], firstSeenAt: seen),
            .fixture("Budget vote", section: "News > Politics", tags: ["Knesset"], firstSeenAt: seen),
            .fixture("Cup final", section: "Sport > Football", tags: ["Maccabi <Haifa>"], firstSeenAt: seen),
        ])
    }

    @Test func theFormOffersRecentVocabularyAndSavesEveryChoice() async throws {
        let server = try await WebTestServer(list: Self.weekly)
        defer { server.stop() }
        try recentArticles(server)
        let reader = try server.subscriber("chooser@sample.test", lists: ["daily", "weekly"])
        let token = server.token(reader)
        let path = "/preferences?token=" + token.queryEncoded

        let page = try await server.get(path)
        #expect(page.status == 200)
        #expect(page.body.contains("value=\"News &gt; Politics\""))
        #expect(page.body.contains("value=\"Sport &gt; Football\""))
        #expect(page.body.contains("value=\"Maccabi &lt;Haifa&gt;\""))  // escaped, never raw markup
        #expect(!page.body.contains("<Haifa>"))
        #expect(!page.body.contains("<script"))
        #expect(try server.reload(reader).0.status == .active)  // showing the page changed nothing

        let saved = try await server.post(
            path,
            form: [
                ("token", token), ("paused", "on"), ("list", "daily"), ("section", "News > Politics"), ("tag", "Gaza"),
                ("mute_section", "Sport > Football"), ("mute_tag", "Maccabi <Haifa>"),
            ])
        #expect(saved.status == 200)
        #expect(saved.body.contains("Saved."))
        let (after, lists) = try server.reload(reader)
        #expect(after.status == .paused)
        #expect(lists.map(\.listName) == ["daily"])  // weekly was unticked: left
        let daily = try #require(lists.first)
        #expect(daily.sections == [SectionPath(parsing: "News > Politics")])
        #expect(daily.tags == ["Gaza"])
        #expect(daily.mutedSections == [SectionPath(parsing: "Sport > Football")])
        #expect(daily.mutedTags == ["Maccabi <Haifa>"])

        // The page shows what was saved; saving again without "paused" resumes.
        let shown = try await server.get(path)
        #expect(shown.body.contains("name=\"paused\" checked"))
        #expect(shown.body.contains("name=\"section\" value=\"News &gt; Politics\" checked"))
        #expect(shown.body.contains("name=\"mute_tag\" value=\"Maccabi &lt;Haifa&gt;\" checked"))
        _ = try await server.post(path, form: [("token", token), ("list", "daily"), ("section", "News > Politics")])
        let (resumed, kept) = try server.reload(reader)
        #expect(resumed.status == .active)
        #expect(kept.first?.mutedTags == [])
    }

    @Test func untickingEveryListUnsubscribes() async throws {
        let server = try await WebTestServer()
        defer { server.stop() }
        let reader = try server.subscriber("leaver@sample.test")
        let token = server.token(reader)
        let reply = try await server.post("/preferences", form: [("token", token)])
        #expect(reply.status == 200)
        #expect(try server.reload(reader).0.status == .unsubscribed)
        #expect(reply.body.contains("receives nothing from us"))
    }

    @Test func aForgedTokenSavesNothing() async throws {
        let server = try await WebTestServer()
        defer { server.stop() }
        let reader = try server.subscriber("target@sample.test")
        let forged = SubscriptionToken(subscriberID: reader.id!, listName: "daily").signed(
            with: SigningKey(secret: Data("guess".utf8)))
        let reply = try await server.post("/preferences", form: [("token", forged), ("paused", "on"), ("list", "daily")])
        #expect(reply.status == 403)
        #expect(try server.reload(reader).0.status == .active)
    }

    /// A digest's tag link opens the page with that tag's "follow" ticked; only Save follows it.
    @Test func aDigestsTagLinkTicksTheTagToFollow() async throws {
        let server = try await WebTestServer()
        defer { server.stop() }
        try recentArticles(server)
        let reader = try server.subscriber("follower@sample.test")
        let article = Article.fixture(
            "Cup final", section: "Sport > Football", tags: ["Maccabi <Haifa>"], firstSeenAt: WebTestServer.now)
        let digest = Digest(
            list: SubscriberList(name: "daily", title: "Daily", senderName: "Daily", senderAddress: "daily@sample.test"),
            subscriber: reader, window: DigestWindow(start: WebTestServer.now - 86_400, end: WebTestServer.now),
            sections: [DigestSection(path: SectionPath(parsing: "Sport > Football"), articles: [article])], tagIndex: [])
        let links = DigestLinks.make(
            token: server.token(reader), senderAddress: "daily@sample.test", unsubscribeTemplate: nil,
            preferencesTemplate: server.url("/preferences").absoluteString + "?token={token}")
        let model = DigestViewModel(digest: digest, date: WebTestServer.now, timeZone: .gmt, links: links)
        let link = try #require(model.sections.first?.items.first?.tags.first?.url)
        let path = try #require(URL(string: link).map { $0.path + "?" + ($0.query ?? "") })
        #expect(path.contains("follow_tag=Maccabi%20%3CHaifa%3E"))

        let page = try await server.get(path)
        #expect(page.status == 200)
        #expect(page.body.contains("Save to follow <bdi>Maccabi &lt;Haifa&gt;</bdi>"))
        #expect(page.body.contains("name=\"tag\" value=\"Maccabi &lt;Haifa&gt;\" checked"))
        #expect(!page.body.contains("name=\"tag\" value=\"Gaza\" checked"))
        #expect(try server.reload(reader).1.first?.tags == [])  // opening the link followed nothing

        // A tag the list has never seen is not offered (nothing to tick).
        let unknown = try await server.get("/preferences?token=\(server.token(reader).queryEncoded)&follow_tag=Nowhere")
        #expect(!unknown.body.contains("Save to follow"))
    }
}
