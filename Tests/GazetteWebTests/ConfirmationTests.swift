import Foundation
import GazetteApp
import GazetteModel
import GazetteStore
import GazetteTestSupport
import Testing

/// Double opt-in through the web: the mail links to a page whose button POSTs the confirmation.
@Suite struct ConfirmationTests {
    @Test func theMailedLinkShowsAButtonWhosePostConfirms() async throws {
        let server = try await WebTestServer(
            web: ["base_url = \"https://news.example.org/letters/\""], list: ["double_opt_in = true"])
        defer { server.stop() }
        let subscribed = try await SubscriberAdmin(config: server.config).subscribe(
            NewSubscriber(email: "new@sample.test", lists: ["daily"]), environment: server.environment)
        let reader = subscribed.subscriber
        #expect(reader.status == .pending)
        // confirm_url is derived from base_url: the mail holds the link, not a code to reply with.
        let mail = try #require(try ParsedEmail.parse(server.outboxFiles()).first)
        let token = ConfirmationToken(subscriberID: reader.id!, listName: "daily").signed(with: server.environment.signingKey)
        #expect(mail.parts.contains { $0.body.contains("https://news.example.org/letters/confirm?token=\(token)") })

        let page = try await server.get("/confirm?token=" + token.queryEncoded)
        #expect(page.status == 200)
        #expect(page.body.contains("<button type=\"submit\">Confirm</button>"))
        #expect(try server.reload(reader).0.status == .pending)

        let confirmed = try await server.post("/confirm?token=" + token.queryEncoded, form: [("token", token)])
        #expect(confirmed.status == 200)
        #expect(confirmed.body.contains("Subscription confirmed"))
        #expect(try server.reload(reader).0.status == .active)
        let again = try await server.post("/confirm", form: [("token", token)])
        #expect(again.body.contains("Already confirmed"))

        // An unsubscribe token is not a confirmation token, and the other way round.
        let unsubscribeToken = SubscriptionToken(subscriberID: reader.id!, listName: "daily").signed(
            with: server.environment.signingKey)
        #expect(try await server.post("/confirm", form: [("token", unsubscribeToken)]).status == 400)
        #expect(try await server.post("/unsubscribe", form: [("token", token)]).status == 400)
        #expect(try server.reload(reader).0.status == .active)
    }
}
